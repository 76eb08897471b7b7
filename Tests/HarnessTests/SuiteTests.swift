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

@Suite struct SuiteShardTests {
  /// Round-robin over the suite's order: shard i of n holds positions i-1, i-1+n, …
  @Test func shardsAreDisjointAndTogetherTheWholeSuite() throws {
    let suite = try #require(Suite.named("mobilenet-v1"))
    for count in 1...5 {
      let shards = (1...count).map { suite.shard($0, of: count).cases.map(\.name) }
      #expect(shards.flatMap { $0 }.sorted() == suite.cases.map(\.name).sorted())
      #expect(Set(shards.flatMap { $0 }).count == suite.cases.count)
    }
    #expect(
      suite.shard(2, of: 5).cases.map(\.name) == ["mbv1.b02", "mbv1.b07", "mbv1.b12"])
  }
}
