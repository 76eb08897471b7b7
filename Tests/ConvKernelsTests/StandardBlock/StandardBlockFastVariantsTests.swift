import ConvKernels
import ConvKernelsAVX2
import TestSupport
import Testing

@Suite struct StandardBlockFastVariantsTests {
  static let cases: [(String, Layout)] = [
    ("unfused", .nchw), ("unfused", .nhwc), ("bn-folded", .nchw), ("bn-folded", .nhwc),
  ]

  @Test(arguments: cases)
  func matchesReferenceOnValidationShapes(family: String, layout: Layout) {
    let shapes = FastVariantChecks.shapes(seed: 23)
    for threads in [1, 2] {
      let variant = FastVariantChecks.variant(.convBlock, family, layout, threads: threads)
      let ran = FastVariantChecks.matchesReference(.convBlock, variant, on: shapes)
      #expect(ran == shapes.count, "\(variant.id) skipped \(shapes.count - ran) shapes")
    }
  }

  @Test(arguments: cases)
  func twoThreadsMatchOneThreadBitwise(family: String, layout: Layout) throws {
    let shapes = [
      try ConvProblem.standard(inChannels: 24, outChannels: 40, h: 7, w: 7, kernel: 3, pad: 1),
      try ConvProblem.standard(
        batch: 2, inChannels: 19, outChannels: 21, h: 17, w: 19, kernel: 3, stride: 2, pad: 1),
    ]
    FastVariantChecks.twoThreadsMatchOneThread(.convBlock, family, layout, on: shapes)
  }

  /// Folding BN into the weights changes only the rounding: bn-folded and unfused agree
  /// within the reference tolerance, and some outputs are clamped by ReLU (so the check sees
  /// both sides of it).
  @Test(arguments: [Layout.nchw, .nhwc])
  func foldedBatchNormEqualsUnfoldedWithinTolerance(layout: Layout) throws {
    let problem = try ConvProblem.standard(
      inChannels: 17, outChannels: 35, h: 11, w: 9, kernel: 3, pad: 1)
    let fixture = ReferenceCase(op: .convBlock, problem: problem, seed: 5)
    let folded = fixture.check(FastVariantChecks.variant(.convBlock, "bn-folded", layout))
    let unfused = fixture.check(FastVariantChecks.variant(.convBlock, "unfused", layout))
    let difference =
      zip(folded.outputs, unfused.outputs).map { abs(Double($0) - Double($1)) }.max() ?? .nan
    #expect(difference <= fixture.tolerance)
    #expect(folded.outputs.contains(0) && folded.outputs.contains { $0 > 0 })
  }

  /// w' = w * scale[oc] and bias = shift, hand-computed for two channels.
  @Test func foldingScalesEachOutputChannelAndUsesShiftAsBias() {
    let norm = BatchNorm(
      gamma: [2, 1], beta: [1, -1], mean: [0.5, 0], variance: [1, 4], epsilon: 0)
    // scale = [2, 0.5], shift = [1 - 0.5 * 2, -1 - 0] = [0, -1]
    let folded = norm.folded(into: [1, 2, 3, 4, 5, 6])
    #expect(folded.weights == [2, 4, 6, 2, 2.5, 3])
    #expect(folded.bias == [0, -1])
  }
}
