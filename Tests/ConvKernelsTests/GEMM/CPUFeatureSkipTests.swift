import ConvKernels
import Testing

/// A family that needs a CPU feature no CPU offers (an unassigned bit), to exercise the skip
/// path on any machine.
private struct NeedsMissingFeature: KernelVariant {
  static let op = Op.pw
  static let family = "needs-missing-feature"
  static let layouts: Set<Layout> = [.nhwc]
  static let requires = CPUFeatures(rawValue: 1 << 30)
  static let summary = "test only"
  let layout: Layout
  let threads: Int
  init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }
  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }
  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    fatalError("a skipped variant must never be prepared")
  }
}

@Suite struct CPUFeatureSkipTests {
  static let fastFamilies: [(Op, String)] = [
    (.pw, "packed-gemm"), (.conv, "im2col-gemm"), (.conv, "direct-simd"),
    (.convBlock, "unfused"), (.convBlock, "bn-folded"),
  ]

  @Test func aMissingFeatureIsASkipReason() throws {
    let problem = try ConvProblem.pointwise(inChannels: 8, outChannels: 8, h: 2, w: 2)
    let reason = VariantRegistry.skipReason(
      NeedsMissingFeature(layout: .nhwc, threads: 1), on: problem)
    #expect(reason?.hasPrefix("needs CPU features") == true, "\(reason ?? "nil")")
  }

  /// The SIMD families declare AVX2 + FMA. Under `SEPBENCH_CPU_FEATURES=none` (or on a CPU
  /// without them) they are skipped with a reason naming the features; otherwise they run.
  @Test(arguments: fastFamilies)
  func simdFamiliesAreSkippedExactlyWhenAVX2OrFMAIsMissing(op: Op, family: String) throws {
    let type = try #require(VariantRegistry.family(op: op, named: family))
    #expect(type.requires == [.avx2, .fma])
    let problem = try ConvProblem.standard(
      inChannels: 8, outChannels: 8, h: 4, w: 4, kernel: 1, pad: 0)
    let reason = VariantRegistry.skipReason(
      type.init(layout: .nhwc, threads: 1), on: problem.part(for: op))
    if CPUFeatures.current.isSuperset(of: [.avx2, .fma]) {
      #expect(reason == nil)
    } else {
      #expect(reason?.contains("needs CPU features") == true, "\(reason ?? "nil")")
    }
  }
}
