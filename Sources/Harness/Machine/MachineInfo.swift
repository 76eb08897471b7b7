import ConvKernels
import Foundation

/// What this machine is: CPU, caches, memory, operating system. Read from `/proc` and `/sys`
/// on Linux; fields that cannot be read are empty or nil, never guessed.
public struct MachineInfo: Codable, Sendable, Equatable {
  public var hostname: String
  public var cpuModel: String
  public var logicalCores: Int
  public var cpuFeatures: String
  /// Cache sizes by level and type, e.g. "L1d": 32768.
  public var cacheBytes: [String: Int]
  public var memoryBytes: UInt64
  public var operatingSystem: String
  public var virtualMachine: Bool

  /// Size of the largest cache level found (0 when unknown).
  public var lastLevelCacheBytes: Int { cacheBytes.values.max() ?? 0 }

  /// Reads the current machine.
  public static func current() -> MachineInfo {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model =
      cpuinfo.split(separator: "\n")
      .first { $0.hasPrefix("model name") }
      .flatMap { $0.split(separator: ":", maxSplits: 1).last }
      .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
    return MachineInfo(
      hostname: ProcessInfo.processInfo.hostName,
      cpuModel: model,
      logicalCores: ProcessInfo.processInfo.activeProcessorCount,
      cpuFeatures: CPUFeatures.current.description,
      cacheBytes: cacheSizes(),
      memoryBytes: ProcessInfo.processInfo.physicalMemory,
      operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString,
      virtualMachine: flags.split(separator: " ").contains("hypervisor"))
  }

  private static func cacheSizes() -> [String: Int] {
    var sizes: [String: Int] = [:]
    let base = "/sys/devices/system/cpu/cpu0/cache"
    for index in 0..<8 {
      let folder = "\(base)/index\(index)"
      func read(_ name: String) -> String? {
        (try? String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8))?
          .trimmingCharacters(in: .whitespacesAndNewlines)
      }
      guard let level = read("level"), let type = read("type"), let size = read("size") else {
        continue
      }
      let suffix = type == "Data" ? "d" : type == "Instruction" ? "i" : ""
      var bytes = Int(size.filter(\.isNumber)) ?? 0
      if size.hasSuffix("K") { bytes *= 1024 }
      if size.hasSuffix("M") { bytes *= 1024 * 1024 }
      sizes["L\(level)\(suffix)"] = bytes
    }
    return sizes
  }
}
