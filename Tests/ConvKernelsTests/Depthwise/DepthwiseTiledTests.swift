import ConvKernels
import TestSupport
import Testing

@Suite(.enabled(if: DepthwiseTestCases.canRun("tiled"), "needs nothing"))
struct DepthwiseTiledTests {
  @Test(arguments: Layout.allCases)
  func validationShapesMatchReference(layout: Layout) {
    for problem in DepthwiseTestCases.validationShapes {
      let check = KernelTester(.dw, problem, seed: 3).run(
        DepthwiseTestCases.variant("tiled", layout))
      #expect(check.nonFiniteOutputs == 0, "\(problem) \(layout)")
      #expect(check.maxAbsError <= check.tolerance, "\(problem) \(layout) at \(check.worstIndex)")
    }
  }

  @Test(arguments: Layout.allCases, [1, 7, 8, 9, 15, 16, 29])
  func channelTailsMatchReference(layout: Layout, channels: Int) {
    let shapes = DepthwiseTestCases.tailShapes(channels: channels)
    #expect(shapes.count == 12)  // 1x1: 2, 2x3: 2, 7x7: 8 valid shapes
    for problem in shapes {
      let check = KernelTester(.dw, problem, seed: 5).run(
        DepthwiseTestCases.variant("tiled", layout))
      #expect(check.nonFiniteOutputs == 0, "\(problem) \(layout)")
      #expect(check.maxAbsError <= check.tolerance, "\(problem) \(layout) at \(check.worstIndex)")
    }
  }

  @Test(arguments: Layout.allCases)
  func twoThreadsMatchOneThreadBitwise(layout: Layout) {
    for problem in DepthwiseTestCases.threadShapes {
      let (one, two) = DepthwiseTestCases.oneAndTwoThreads("tiled", layout, problem)
      #expect(one == two, "\(problem) \(layout)")
      #expect(!one.isEmpty)
    }
  }
}
