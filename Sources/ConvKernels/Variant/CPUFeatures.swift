#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Instruction-set extensions a kernel family may need.
public struct CPUFeatures: OptionSet, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  /// 256-bit integer and float vectors (x86-64).
  public static let avx2 = CPUFeatures(rawValue: 1 << 0)
  /// Fused multiply-add (x86-64 FMA3).
  public static let fma = CPUFeatures(rawValue: 1 << 1)

  private static let names: [(CPUFeatures, String)] = [(.avx2, "avx2"), (.fma, "fma")]

  public var description: String {
    let parts = Self.names.filter { contains($0.0) }.map(\.1)
    return parts.isEmpty ? "none" : parts.joined(separator: "+")
  }

  /// What this CPU offers. On Linux from the `flags` line of `/proc/cpuinfo`; elsewhere from
  /// the compile-time target. `SEPBENCH_CPU_FEATURES` (e.g. `none`, `avx2`) overrides the
  /// detection, to test the skip path on any machine.
  public static let current: CPUFeatures = {
    if let forced = getenv("SEPBENCH_CPU_FEATURES").map({ String(cString: $0) }) {
      return parse(forced)
    }
    #if os(Linux)
      return parse(cpuinfoFlags() ?? "")
    #elseif arch(x86_64)
      return [.avx2, .fma]
    #else
      return []
    #endif
  }()

  /// Features named in a space-, comma- or plus-separated list.
  static func parse(_ list: String) -> CPUFeatures {
    let words = Set(list.split(whereSeparator: { " ,+\t".contains($0) }).map(String.init))
    return CPUFeatures(Self.names.filter { words.contains($0.1) }.map(\.0))
  }

  #if os(Linux)
    private static func cpuinfoFlags() -> String? {
      guard let file = fopen("/proc/cpuinfo", "r") else { return nil }
      defer { fclose(file) }
      var line: UnsafeMutablePointer<CChar>?
      var capacity = 0
      defer { free(line) }
      while getline(&line, &capacity, file) > 0 {
        guard let line else { break }
        let text = String(cString: line)
        if text.hasPrefix("flags") { return text }
      }
      return nil
    }
  #endif
}
