import ConvKernels
import Harness
import Testing

@Suite struct SuiteTests {
  @Test func mobileNetSuiteHasThirteenBlocksWithPaperChannels() {
    let cases = Suite.mobileNetV1.cases
    #expect(cases.count == 13)
    #expect(
      cases.map(\.problem.inChannels) == [
        32, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024,
      ])
    #expect(
      cases.map(\.problem.outChannels) == [
        64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024,
      ])
    #expect(cases.map(\.problem.height) == [112, 112, 56, 56, 28, 28, 14, 14, 14, 14, 14, 14, 7])
    #expect(cases.map(\.problem.stride) == [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1])
  }

  @Test func blockOutputsChainIntoTheNextBlockInput() {
    let cases = Suite.mobileNetV1.cases
    for (a, b) in zip(cases, cases.dropFirst()) {
      #expect(a.problem.outHeight == b.problem.height, "\(a.name) -> \(b.name)")
      #expect(a.problem.outChannels == b.problem.inChannels)
    }
  }

  @Test func quickSuiteShapesAreSmall() {
    for c in Suite.quick.cases { #expect(c.problem.cost(for: .conv).macs < 5_000_000) }
  }
}
