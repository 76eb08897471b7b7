import ConvKernels
import TestSupport
import Testing

@Suite struct PointwiseFastVariantsTests {
  static let cases: [(String, Layout)] = [
    ("tiled", .nchw), ("tiled", .nhwc), ("packed-gemm", .nchw), ("packed-gemm", .nhwc),
  ]

  @Test(arguments: cases)
  func matchesReferenceOnValidationShapes(family: String, layout: Layout) {
    let shapes = FastVariantChecks.shapes(seed: 21)
    for threads in [1, 2] {
      let variant = FastVariantChecks.variant(.pw, family, layout, threads: threads)
      let ran = FastVariantChecks.matchesReference(.pw, variant, on: shapes)
      #expect(ran == shapes.count, "\(variant.id) skipped \(shapes.count - ran) shapes")
    }
  }

  /// Channel and pixel counts around the 6-row and 16-column tile and the 8-lane vector.
  @Test(arguments: cases)
  func tailsMatchReference(family: String, layout: Layout) throws {
    for (cin, cout, h, w) in [
      (1, 1, 1, 1), (7, 9, 1, 5), (9, 15, 2, 3), (16, 16, 1, 6), (17, 17, 3, 5), (5, 33, 7, 1),
      (300, 23, 2, 7), (33, 40, 13, 1),
    ] {
      let problem = try ConvProblem.pointwise(inChannels: cin, outChannels: cout, h: h, w: w)
      let variant = FastVariantChecks.variant(.pw, family, layout)
      #expect(FastVariantChecks.matchesReference(.pw, variant, on: [problem]) == 1)
    }
  }

  @Test(arguments: cases)
  func twoThreadsMatchOneThreadBitwise(family: String, layout: Layout) throws {
    let shapes = [
      try ConvProblem.pointwise(inChannels: 64, outChannels: 48, h: 14, w: 14),
      // Fewer pixels than output channels: the NHWC kernel splits the channels.
      try ConvProblem.pointwise(inChannels: 40, outChannels: 96, h: 5, w: 7),
      try ConvProblem.pointwise(batch: 2, inChannels: 19, outChannels: 21, h: 23, w: 17),
      try ConvProblem.pointwise(inChannels: 300, outChannels: 7, h: 3, w: 3),
    ]
    FastVariantChecks.twoThreadsMatchOneThread(.pw, family, layout, on: shapes)
  }
}
