import ConvKernels
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The limits on how much memory this process may use, and the budget a run takes from them.
///
/// Three limits apply, and a shape must fit all of them: physical RAM, the address-space limit
/// (`RLIMIT_AS`, `ulimit -v`; it counts what the process has already mapped) and the memory
/// limit of the cgroups the process runs in (v2 `memory.max`, v1 `memory.limit_in_bytes`).
/// Each source is a plain field, so tests can set any of them.
public struct MemoryLimits: Sendable, Equatable {
  /// Physical RAM.
  public var physicalBytes: UInt64
  /// The soft `RLIMIT_AS`; nil when unlimited.
  public var addressSpaceBytes: UInt64?
  /// Address space this process has already mapped (`/proc/self/statm`), which counts against
  /// `addressSpaceBytes`.
  public var addressSpaceInUse: UInt64
  /// The smallest memory limit of this process's cgroup and its ancestors; nil when none.
  public var cgroupBytes: UInt64?

  public init(
    physicalBytes: UInt64, addressSpaceBytes: UInt64? = nil, addressSpaceInUse: UInt64 = 0,
    cgroupBytes: UInt64? = nil
  ) {
    self.physicalBytes = physicalBytes
    self.addressSpaceBytes = addressSpaceBytes
    self.addressSpaceInUse = addressSpaceInUse
    self.cgroupBytes = cgroupBytes
  }

  /// The budget: half of the tightest limit (half, because the estimate leaves out the
  /// process's own memory, thread stacks and allocator overhead), with the limit that sets it
  /// in words, e.g. `half of the 1.2 GiB of address space left under RLIMIT_AS, ulimit -v`.
  public var budget: (bytes: Int, limitedBy: String) {
    var candidates: [(bytes: UInt64, limitedBy: String)] = [
      (physicalBytes, "half of the \(Self.text(physicalBytes)) of RAM")
    ]
    if let cgroupBytes {
      candidates.append(
        (cgroupBytes, "half of the cgroup memory limit of \(Self.text(cgroupBytes))"))
    }
    if let addressSpaceBytes {
      let left = addressSpaceBytes > addressSpaceInUse ? addressSpaceBytes - addressSpaceInUse : 0
      candidates.append(
        (left, "half of the \(Self.text(left)) of address space left under RLIMIT_AS, ulimit -v"))
    }
    let tightest = candidates.min { $0.bytes < $1.bytes }!
    return (Int(min(tightest.bytes / 2, UInt64(Int.max))), tightest.limitedBy)
  }

  private static func text(_ bytes: UInt64) -> String {
    ProblemError.gibibytes(Int(min(bytes, UInt64(Int.max))))
  }

  /// The limits of this process now.
  public static func current() -> MemoryLimits {
    MemoryLimits(
      physicalBytes: ProcessInfo.processInfo.physicalMemory,
      addressSpaceBytes: addressSpaceLimit(), addressSpaceInUse: addressSpaceMapped(),
      cgroupBytes: CgroupMemoryLimit.current())
  }

  /// The soft `RLIMIT_AS` (`getrlimit`); nil when unlimited or unreadable.
  static func addressSpaceLimit() -> UInt64? {
    var limit = rlimit()
    #if os(Linux)
      let status = getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
    #else
      let status = getrlimit(RLIMIT_AS, &limit)
    #endif
    // RLIM_INFINITY is all ones; anything at or above 2^62 bytes limits nothing in practice.
    guard status == 0, UInt64(limit.rlim_cur) < 1 << 62 else { return nil }
    return UInt64(limit.rlim_cur)
  }

  /// Bytes of address space this process has mapped: the first field of `/proc/self/statm`
  /// (pages); 0 where that file does not exist.
  static func addressSpaceMapped() -> UInt64 {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
      let pages = text.split(separator: " ").first.flatMap({ UInt64($0) })
    else { return 0 }
    return pages * UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
  }
}
