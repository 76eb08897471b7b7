import CPUID

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Instruction-set extensions a kernel family may need, as this CPU and its operating system
/// offer them.
public struct CPUFeatures: OptionSet, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  /// 256-bit integer and float vectors (x86-64).
  public static let avx2 = CPUFeatures(rawValue: 1 << 0)
  /// Fused multiply-add (x86-64 FMA3).
  public static let fma = CPUFeatures(rawValue: 1 << 1)
  /// AVX-512 Foundation: 512-bit vectors, 32 vector and 8 mask registers.
  public static let avx512f = CPUFeatures(rawValue: 1 << 2)
  /// AVX-512 Vector Length: the AVX-512 instructions on 128- and 256-bit vectors.
  public static let avx512vl = CPUFeatures(rawValue: 1 << 3)
  /// AVX-512 Byte and Word.
  public static let avx512bw = CPUFeatures(rawValue: 1 << 4)
  /// AVX-512 Doubleword and Quadword.
  public static let avx512dq = CPUFeatures(rawValue: 1 << 5)

  /// Everything the AVX-512 kernel target is compiled for.
  public static let avx512: CPUFeatures = [.avx512f, .avx512vl, .avx512bw, .avx512dq]

  private static let names: [(CPUFeatures, String)] = [
    (.avx2, "avx2"), (.fma, "fma"), (.avx512f, "avx512f"), (.avx512vl, "avx512vl"),
    (.avx512bw, "avx512bw"), (.avx512dq, "avx512dq"),
  ]

  public var description: String {
    let parts = Self.names.filter { contains($0.0) }.map(\.1)
    return parts.isEmpty ? "none" : parts.joined(separator: "+")
  }

  /// What kernels may use here: what the CPU reports through CPUID *and* the operating system
  /// saves on a context switch (XGETBV: the YMM state for AVX2, the opmask and ZMM states for
  /// AVX-512), lowered by `SEPBENCH_CPU_FEATURES` when it is set (e.g. `none`, `avx2+fma`).
  /// The variable can only take features away: naming one the CPU lacks does not add it.
  public static let current = usable(
    detected: detect(), forced: getenv("SEPBENCH_CPU_FEATURES").map { String(cString: $0) })

  /// What may be used when the CPU offers `detected` and `SEPBENCH_CPU_FEATURES` is `forced`
  /// (nil when unset): the features named in both.
  package static func usable(detected: CPUFeatures, forced: String?) -> CPUFeatures {
    forced.map { parse($0).intersection(detected) } ?? detected
  }

  /// The features CPUID and XGETBV report on this CPU (empty on CPUs that are not x86).
  public static func detect() -> CPUFeatures {
    decode(
      leaf1: registers(leaf: 1), leaf7: registers(leaf: 7), xcr0: sepbench_xgetbv0())
  }

  /// The features that CPUID leaf 1 (ECX), leaf 7 subleaf 0 (EBX) and XCR0 describe.
  public static func decode(
    leaf1: sepbench_cpuid_registers, leaf7: sepbench_cpuid_registers, xcr0: UInt64
  ) -> CPUFeatures {
    func bit(_ value: UInt32, _ index: Int) -> Bool { value & (1 << UInt32(index)) != 0 }
    let osSavesYMM = bit(leaf1.ecx, 27) && xcr0 & 0x6 == 0x6
    let osSavesZMM = osSavesYMM && xcr0 & 0xE0 == 0xE0
    var features: CPUFeatures = []
    guard osSavesYMM, bit(leaf1.ecx, 28) else { return features }  // AVX itself
    if bit(leaf7.ebx, 5) { features.insert(.avx2) }
    if bit(leaf1.ecx, 12) { features.insert(.fma) }
    guard osSavesZMM else { return features }
    if bit(leaf7.ebx, 16) { features.insert(.avx512f) }
    if bit(leaf7.ebx, 17) { features.insert(.avx512dq) }
    if bit(leaf7.ebx, 30) { features.insert(.avx512bw) }
    if bit(leaf7.ebx, 31) { features.insert(.avx512vl) }
    return features
  }

  private static func registers(leaf: UInt32) -> sepbench_cpuid_registers {
    var out = sepbench_cpuid_registers()
    _ = sepbench_cpuid(leaf, 0, &out)
    return out
  }

  /// Features named in a space-, comma- or plus-separated list (`avx512` names all four
  /// AVX-512 parts).
  package static func parse(_ list: String) -> CPUFeatures {
    let words = Set(list.split(whereSeparator: { " ,+\t".contains($0) }).map(String.init))
    var features = CPUFeatures(Self.names.filter { words.contains($0.1) }.map(\.0))
    if words.contains("avx512") { features.formUnion(.avx512) }
    return features
  }
}

/// The instruction-set level a kernel family is compiled for: the target it lives in.
public enum ISA: String, CaseIterable, Sendable, Comparable, Codable {
  /// No ISA flags: the x86-64 (or other) baseline the whole package is built for.
  case generic
  /// `ConvKernelsAVX2`: AVX2 and FMA.
  case avx2
  /// AVX-512 F, VL, BW and DQ.
  case avx512

  /// What a CPU needs to run code of this level.
  public var requires: CPUFeatures {
    switch self {
    case .generic: []
    case .avx2: [.avx2, .fma]
    case .avx512: [.avx2, .fma, .avx512]
    }
  }

  /// Whether this machine (after `SEPBENCH_CPU_FEATURES`) can run code of this level.
  public var isSupported: Bool { requires.isSubset(of: CPUFeatures.current) }

  public static func < (a: ISA, b: ISA) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}
