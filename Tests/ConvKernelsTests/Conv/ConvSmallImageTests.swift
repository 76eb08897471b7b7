import ConvKernels
import TestSupport
import Testing

/// The small-image paths of the KxK GEMM families: direct-simd's mixed 6-/5-row tiles and
/// K blocks (weights beyond 256 Ki floats, C_in cut into chunks that do not divide it), and
/// im2col-gemm's weight-sized pixel blocks.
@Suite struct ConvSmallImageTests {
  static let cases: [(String, Layout)] = [
    ("direct-simd", .nhwc), ("im2col-gemm", .nhwc), ("im2col-gemm", .nchw),
  ]

  /// 1x1, 2x3 and 7x7 images with 1, 17 and 33 channels, stride 1 and 2 (the L2-resident path).
  @Test(arguments: cases)
  func smallImagesMatchReference(family: String, layout: Layout) throws {
    var problems: [ConvProblem] = []
    for (h, w) in [(1, 1), (2, 3), (7, 7)] {
      for channels in [1, 17, 33] {
        for stride in [1, 2] {
          problems.append(
            try ConvProblem.standard(
              inChannels: channels, outChannels: channels, h: h, w: w, kernel: 3, stride: stride,
              pad: 1))
        }
      }
    }
    let variant = FastVariantChecks.variant(.conv, family, layout)
    #expect(FastVariantChecks.matchesReference(.conv, variant, on: problems) == problems.count)
  }

  /// Weights of 2700 x 100 floats (> 256 Ki: the streamed path), C_in = 300 (two K chunks of
  /// 150 per tap), 1...13 and 20...26 pixels (every 6/5 tile mix and the partial-tile fallback),
  /// 7x7 = 4 x 6 + 5 x 5, and stride 2; 100 output channels end in a 4-channel panel tail.
  @Test(arguments: cases)
  func streamedWeightsMatchReferenceOnEveryPixelCount(family: String, layout: Layout) throws {
    var problems: [ConvProblem] = []
    for pixels in Array(1...13) + Array(20...26) {
      problems.append(
        try ConvProblem.standard(
          inChannels: 300, outChannels: 100, h: 1, w: pixels, kernel: 3, pad: 1))
    }
    problems.append(
      try ConvProblem.standard(inChannels: 300, outChannels: 100, h: 7, w: 7, kernel: 3, pad: 1))
    problems.append(
      try ConvProblem.standard(
        inChannels: 300, outChannels: 100, h: 9, w: 8, kernel: 3, stride: 2, pad: 1))
    let variant = FastVariantChecks.variant(.conv, family, layout)
    #expect(FastVariantChecks.matchesReference(.conv, variant, on: problems) == problems.count)
  }

  /// Two threads split output channels here (C_out * 4 >= pixels) and must still give the
  /// one-thread bits.
  @Test(arguments: cases)
  func streamedWeightsTwoThreadsMatchOneThreadBitwise(family: String, layout: Layout) throws {
    let shapes = [
      try ConvProblem.standard(inChannels: 300, outChannels: 100, h: 7, w: 7, kernel: 3, pad: 1),
      try ConvProblem.standard(inChannels: 260, outChannels: 120, h: 2, w: 3, kernel: 3, pad: 1),
      try ConvProblem.standard(
        inChannels: 300, outChannels: 100, h: 9, w: 8, kernel: 3, stride: 2, pad: 1),
    ]
    FastVariantChecks.twoThreadsMatchOneThread(.conv, family, layout, on: shapes)
  }
}
