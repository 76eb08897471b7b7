import ConvKernels
import KernelCatalog
import TestSupport
import Testing

@Suite struct ConvFastVariantsTests {
  static let cases: [(String, Layout)] = [
    ("im2col-gemm", .nchw), ("im2col-gemm", .nhwc), ("direct-simd", .nhwc),
  ]

  @Test(arguments: cases)
  func matchesReferenceOnValidationShapes(family: String, layout: Layout) {
    let shapes = FastVariantChecks.shapes(seed: 22)
    for threads in [1, 2] {
      let variant = FastVariantChecks.variant(.conv, family, layout, threads: threads)
      let ran = FastVariantChecks.matchesReference(.conv, variant, on: shapes)
      #expect(ran == shapes.count, "\(variant.id) skipped \(shapes.count - ran) shapes")
    }
  }

  /// Kernels 1, 2, 3, 5, 7, strides 1-3, padding, batch, and channel tails; C_in * K*K above
  /// 256 so the im2col GEMM uses several K blocks; more pixels than one im2col block.
  @Test(arguments: cases)
  func oddShapesMatchReference(family: String, layout: Layout) throws {
    for (n, cin, cout, h, w, k, s, pad) in [
      (1, 3, 5, 7, 9, 2, 1, 0), (2, 13, 17, 9, 6, 3, 2, 1), (1, 40, 33, 11, 13, 3, 1, 1),
      (1, 5, 16, 12, 12, 7, 3, 3), (3, 8, 6, 5, 5, 5, 1, 2), (1, 1, 40, 30, 31, 3, 1, 1),
      (1, 20, 9, 40, 41, 1, 2, 0),
    ] {
      let problem = try ConvProblem.standard(
        batch: n, inChannels: cin, outChannels: cout, h: h, w: w, kernel: k, stride: s, pad: pad)
      let variant = FastVariantChecks.variant(.conv, family, layout)
      #expect(FastVariantChecks.matchesReference(.conv, variant, on: [problem]) == 1)
    }
  }

  @Test(arguments: cases)
  func twoThreadsMatchOneThreadBitwise(family: String, layout: Layout) throws {
    let shapes = [
      try ConvProblem.standard(inChannels: 24, outChannels: 40, h: 7, w: 7, kernel: 3, pad: 1),
      try ConvProblem.standard(
        batch: 2, inChannels: 19, outChannels: 21, h: 17, w: 19, kernel: 3, stride: 2, pad: 1),
      try ConvProblem.standard(inChannels: 8, outChannels: 70, h: 20, w: 20, kernel: 5, pad: 2),
    ]
    FastVariantChecks.twoThreadsMatchOneThread(.conv, family, layout, on: shapes)
  }

  @Test(arguments: [Layout.nchw, .nhwc])
  func im2colNoteNamesTheBufferSize(layout: Layout) throws {
    let problem = try ConvProblem.standard(
      inChannels: 128, outChannels: 128, h: 56, w: 56, kernel: 3, pad: 1)
    let note = FastVariantChecks.variant(.conv, "im2col-gemm", layout).note(for: problem)
    #expect(
      note?.hasPrefix("im2col buffer ") == true && note?.contains(" MB") == true, "\(note ?? "nil")"
    )
  }

  @Test func directSIMDHasNoNCHWVersion() throws {
    let problem = try ConvProblem.standard(
      inChannels: 3, outChannels: 3, h: 5, w: 5, kernel: 3, pad: 1)
    let reason = VariantRegistry.skipReason(
      FastVariantChecks.variant(.conv, "direct-simd", .nchw), on: problem)
    #expect(reason == "direct-simd has no nchw version")
  }
}
