import CPUID
import ConvKernels
import KernelCatalog
import Testing

/// A family compiled for AVX-512, to exercise the skip path on any machine.
private struct NeedsAVX512: KernelVariant {
  static let op = Op.pw
  static let family = "needs-avx512"
  static let layouts: Set<Layout> = [.nhwc]
  static let isa = ISA.avx512
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
    (.convBlock, "unfused"), (.convBlock, "bn-folded"), (.dw, "simd8"), (.sepBlock, "fused"),
  ]

  @Test func aFamilyAboveTheCPUIsSkippedWithTheFeaturesItLacks() throws {
    let problem = try ConvProblem.pointwise(inChannels: 8, outChannels: 8, h: 2, w: 2)
    let variant = NeedsAVX512(layout: .nhwc, threads: 1)
    #expect(
      VariantRegistry.skipReason(variant, on: problem, available: [.avx2, .fma])
        == "needs CPU features avx512f+avx512vl+avx512bw+avx512dq that this CPU lacks")
    #expect(
      VariantRegistry.skipReason(variant, on: problem, available: [.avx2, .fma, .avx512]) == nil)
  }

  /// The AVX2 families declare their ISA: without AVX2 and FMA they are skipped with a reason
  /// naming both; with them they run.
  @Test(arguments: fastFamilies)
  func avx2FamiliesAreSkippedExactlyWhenAVX2OrFMAIsMissing(op: Op, family: String) throws {
    let type = try #require(VariantRegistry.family(op: op, named: family))
    #expect(type.isa == .avx2)
    #expect(type.requires == [.avx2, .fma])
    let problem = try ConvProblem.standard(
      inChannels: 8, outChannels: 8, h: 4, w: 4, kernel: 1, pad: 0)
    let variant = type.init(layout: .nhwc, threads: 1)
    let part = problem.part(for: op)
    #expect(
      VariantRegistry.skipReason(variant, on: part, available: [.fma])
        == "needs CPU features avx2 that this CPU lacks")
    #expect(
      VariantRegistry.skipReason(variant, on: part, available: [])
        == "needs CPU features avx2+fma that this CPU lacks")
    #expect(VariantRegistry.skipReason(variant, on: part, available: [.avx2, .fma]) == nil)
  }

  @Test func everyGenericFamilyRunsOnAnyCPU() throws {
    let problem = try ConvProblem.standard(
      inChannels: 8, outChannels: 8, h: 4, w: 4, kernel: 3, pad: 1)
    let generic = VariantRegistry.families.filter { $0.isa == .generic }
    #expect(Set(generic.map { $0.family }) == ["naive"])
    let variants = VariantRegistry.variants(of: generic, layouts: [.nchw, .nhwc], threads: [1])
    #expect(variants.count == 2 * generic.count)
    for variant in variants {
      let part = problem.part(for: type(of: variant).op)
      #expect(VariantRegistry.skipReason(variant, on: part, available: []) == nil, "\(variant.id)")
    }
  }
}

/// Decoding CPUID and XGETBV: a feature counts only when the CPU has it *and* the OS saves
/// its registers.
@Suite struct CPUFeatureDetectionTests {
  /// Leaf 1 ECX: FMA (12), OSXSAVE (27), AVX (28).
  static let leaf1 = sepbench_cpuid_registers(
    eax: 0, ebx: 0, ecx: (1 << 12) | (1 << 27) | (1 << 28), edx: 0)
  /// Leaf 7 EBX: AVX2 (5).
  static let avx2Only = sepbench_cpuid_registers(eax: 0, ebx: 1 << 5, ecx: 0, edx: 0)
  /// Leaf 7 EBX: AVX2 and AVX-512 F (16), DQ (17), BW (30), VL (31).
  static let avx512 = sepbench_cpuid_registers(
    eax: 0, ebx: (1 << 5) | (1 << 16) | (1 << 17) | (1 << 30) | (1 << 31), ecx: 0, edx: 0)

  @Test func aZen3LikeCPUHasAVX2AndFMA() {
    #expect(
      CPUFeatures.decode(leaf1: Self.leaf1, leaf7: Self.avx2Only, xcr0: 0x7) == [.avx2, .fma])
  }

  @Test func avx512CountsOnlyWhenTheOSSavesTheZMMState() {
    #expect(CPUFeatures.decode(leaf1: Self.leaf1, leaf7: Self.avx512, xcr0: 0x7) == [.avx2, .fma])
    #expect(
      CPUFeatures.decode(leaf1: Self.leaf1, leaf7: Self.avx512, xcr0: 0xE7)
        == [.avx2, .fma, .avx512])
  }

  @Test func withoutOSXSAVEOrTheYMMStateNothingAboveSSEIsUsable() {
    var noXSAVE = Self.leaf1
    noXSAVE.ecx &= ~(1 << 27)
    #expect(CPUFeatures.decode(leaf1: noXSAVE, leaf7: Self.avx512, xcr0: 0xE7) == [])
    #expect(CPUFeatures.decode(leaf1: Self.leaf1, leaf7: Self.avx512, xcr0: 0x3) == [])
  }

  @Test func theEnvironmentListIsReadAsNames() {
    #expect(CPUFeatures.parse("none") == [])
    #expect(CPUFeatures.parse("avx2,fma") == [.avx2, .fma])
    #expect(CPUFeatures.parse("avx2+fma+avx512") == [.avx2, .fma, .avx512])
    #expect(CPUFeatures.parse("avx512f avx512vl") == [.avx512f, .avx512vl])
  }

  @Test func theEnvironmentCanOnlyTakeFeaturesAway() {
    let zen3: CPUFeatures = [.avx2, .fma]
    #expect(CPUFeatures.usable(detected: zen3, forced: nil) == zen3)
    #expect(CPUFeatures.usable(detected: zen3, forced: "none") == [])
    #expect(CPUFeatures.usable(detected: zen3, forced: "fma") == [.fma])
    #expect(CPUFeatures.usable(detected: zen3, forced: "avx2,fma,avx512") == zen3)
  }
}
