import Foundation
import Harness

/// What must match for two result folders' times to be compared: the CPU (vendor, family,
/// model, stepping, instruction sets, cores, caches) and the build (Swift version,
/// configuration, kernel code-generation flags, PAPI trait). Recorded in `meta.json`; `compare`
/// refuses to gate across different fingerprints.
public struct MachineFingerprint: Codable, Sendable, Equatable {
  public var cpuVendor: String
  public var cpuFamily: Int?
  public var cpuModelNumber: Int?
  public var cpuStepping: Int?
  public var cpuModel: String
  /// Instruction-set extensions the kernels care about that this CPU reports, sorted
  /// (`avx2`, `avx512f`, `fma` ...).
  public var isaFeatures: [String]
  public var logicalCores: Int
  /// Cache sizes by level and type, e.g. "L2": 1048576.
  public var cacheBytes: [String: Int]
  public var swift: String
  public var configuration: String
  public var kernelFlags: String
  public var papiTrait: Bool

  /// The instruction-set flags of `/proc/cpuinfo` that enter the fingerprint.
  public static let isaFlags: Set<String> = [
    "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512vl", "avx512bw", "avx512dq",
    "avx512_bf16", "avx512_fp16", "avx512_vnni", "amx_tile",
  ]

  /// The flags the kernel targets are compiled with (`Package.swift`).
  public static let currentKernelFlags = "-mavx2 -mfma"

  /// Twelve hex digits naming this fingerprint (FNV-1a of its canonical JSON): the `machine`
  /// key of merged folders and the line `compare` prints when fingerprints differ.
  public var id: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let bytes = (try? encoder.encode(self)) ?? Data()
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    return String(String(hash, radix: 16).suffix(12))
  }

  /// The fields that differ from `other`, as `name: this vs other`, for error lines. With
  /// `machineOnly`, the build (Swift, configuration, kernel flags, PAPI trait) is left out:
  /// a peer tool such as ONNX Runtime runs on the same machine but was not built by us.
  public func differences(from other: MachineFingerprint, machineOnly: Bool = false) -> [String] {
    var out: [String] = []
    func check<T: Equatable>(_ name: String, _ a: T, _ b: T) {
      if a != b { out.append("\(name): \(a) vs \(b)") }
    }
    check("cpu vendor", cpuVendor, other.cpuVendor)
    check("cpu family", cpuFamily.map(String.init) ?? "?", other.cpuFamily.map(String.init) ?? "?")
    check(
      "cpu model", cpuModelNumber.map(String.init) ?? "?",
      other.cpuModelNumber.map(String.init) ?? "?")
    check(
      "stepping", cpuStepping.map(String.init) ?? "?", other.cpuStepping.map(String.init) ?? "?")
    check("isa", isaFeatures.joined(separator: "+"), other.isaFeatures.joined(separator: "+"))
    check("cores", logicalCores, other.logicalCores)
    check("caches", Self.caches(cacheBytes), Self.caches(other.cacheBytes))
    if machineOnly { return out }
    check("swift", swift, other.swift)
    check("configuration", configuration, other.configuration)
    check("kernel flags", kernelFlags, other.kernelFlags)
    check("papi trait", papiTrait, other.papiTrait)
    return out
  }

  private static func caches(_ sizes: [String: Int]) -> String {
    sizes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
  }

  /// This machine and build.
  public static func current(machine: MachineInfo = .current()) -> MachineFingerprint {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    return parse(cpuinfo: cpuinfo, machine: machine, toolchain: .current)
  }

  /// The fingerprint from the text of `/proc/cpuinfo` (its first processor) and the rest.
  public static func parse(cpuinfo: String, machine: MachineInfo, toolchain: Toolchain)
    -> MachineFingerprint
  {
    var fields: [String: String] = [:]
    for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.trimmingCharacters(in: .whitespaces).isEmpty, !fields.isEmpty { break }
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { continue }
      let key = parts[0].trimmingCharacters(in: .whitespaces)
      if fields[key] == nil { fields[key] = parts[1].trimmingCharacters(in: .whitespaces) }
    }
    let flags = Set((fields["flags"] ?? "").split(separator: " ").map(String.init))
    return MachineFingerprint(
      cpuVendor: fields["vendor_id"] ?? "", cpuFamily: fields["cpu family"].flatMap { Int($0) },
      cpuModelNumber: fields["model"].flatMap { Int($0) },
      cpuStepping: fields["stepping"].flatMap { Int($0) }, cpuModel: machine.cpuModel,
      isaFeatures: flags.intersection(isaFlags).sorted(), logicalCores: machine.logicalCores,
      cacheBytes: machine.cacheBytes, swift: toolchain.swift,
      configuration: toolchain.configuration, kernelFlags: currentKernelFlags,
      papiTrait: toolchain.papiTrait)
  }
}
