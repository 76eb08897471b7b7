import ConvKernels
import TestSupport
import Testing

/// The fast depthwise families (`tiled`, and `simd8` where the CPU has AVX2 + FMA) on the
/// validation shapes, the XNNPACK-style channel tails, and 1 vs 2 threads.
@Suite struct DepthwiseFamilyTests {
  static let families = ["tiled", "simd8"].filter(DepthwiseTestCases.canRun)

  @Test(arguments: families, Layout.allCases)
  func validationShapesMatchReference(family: String, layout: Layout) {
    for problem in DepthwiseTestCases.validationShapes {
      let check = KernelTester(.dw, problem, seed: 3).run(
        DepthwiseTestCases.variant(family, layout))
      #expect(check.nonFiniteOutputs == 0, "\(family) \(problem) \(layout)")
      #expect(
        check.maxAbsError <= check.tolerance,
        "\(family) \(problem) \(layout) at \(check.worstIndex)")
    }
  }

  @Test(arguments: families, [1, 7, 8, 9, 15, 16, 29])
  func channelTailsMatchReference(family: String, channels: Int) {
    let shapes = DepthwiseTestCases.tailShapes(channels: channels)
    #expect(shapes.count == 12)  // 1x1: 2, 2x3: 2, 7x7: 8 valid shapes
    for layout in Layout.allCases {
      for problem in shapes {
        let check = KernelTester(.dw, problem, seed: 5).run(
          DepthwiseTestCases.variant(family, layout))
        #expect(check.nonFiniteOutputs == 0, "\(family) \(problem) \(layout)")
        #expect(
          check.maxAbsError <= check.tolerance,
          "\(family) \(problem) \(layout) at \(check.worstIndex)")
      }
    }
  }

  @Test(arguments: families, Layout.allCases)
  func twoThreadsMatchOneThreadBitwise(family: String, layout: Layout) {
    for problem in DepthwiseTestCases.threadShapes {
      let (one, two) = DepthwiseTestCases.oneAndTwoThreads(family, layout, problem)
      #expect(one == two, "\(family) \(problem) \(layout)")
      #expect(!one.isEmpty)
    }
  }
}
