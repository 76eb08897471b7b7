import Foundation

/// The memory limit of the cgroups this process runs in: the smallest of cgroup v2
/// `memory.max` and v1 `memory.limit_in_bytes` over the process's cgroup and its ancestors
/// (a parent's limit caps its children).
///
/// Where the cgroup is comes from `/proc/self/cgroup` (`0::<path>` for v2, `<id>:memory:<path>`
/// for v1) and where each hierarchy is mounted from `/proc/self/mountinfo`.
package enum CgroupMemoryLimit {
  /// Limits at or above this many bytes mean "no limit" (v1 writes 2^63 - 4096 for none).
  static let unlimited: UInt64 = 1 << 62

  /// The limit for this process; nil when there is none or no cgroup file can be read.
  static func current() -> UInt64? {
    let read = { (path: String) in try? String(contentsOfFile: path, encoding: .utf8) }
    guard let cgroups = read("/proc/self/cgroup"), let mounts = read("/proc/self/mountinfo")
    else { return nil }
    return limit(cgroups: cgroups, mountInfo: mounts, read: read)
  }

  /// The limit described by the texts of `/proc/self/cgroup` and `/proc/self/mountinfo`;
  /// `read` returns a file's contents (nil when it does not exist).
  package static func limit(cgroups: String, mountInfo: String, read: (String) -> String?)
    -> UInt64?
  {
    let mounts = MountTable(mountInfo: mountInfo).mounts
    var limits: [UInt64] = []
    for line in cgroups.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard parts.count == 3 else { continue }
      let controllers = parts[1].split(separator: ",")
      let file: String
      let mount: MountTable.Mount?
      if parts[0] == "0" && parts[1].isEmpty {
        file = "memory.max"
        mount = mounts.first { $0.type == "cgroup2" }
      } else if controllers.contains("memory") {
        file = "memory.limit_in_bytes"
        mount = mounts.first { $0.type == "cgroup" && $0.options.contains("memory") }
      } else {
        continue
      }
      guard let mount else { continue }
      for folder in mount.folders(for: String(parts[2])) {
        if let text = read(folder + "/" + file), let bytes = parse(text) { limits.append(bytes) }
      }
    }
    return limits.min()
  }

  /// A limit file's value: a byte count, or `max` (v2) or a huge number (v1) for none.
  static func parse(_ text: String) -> UInt64? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let bytes = UInt64(trimmed), bytes < unlimited else { return nil }
    return bytes
  }
}

extension MountTable.Mount {
  /// The folders of `cgroupPath` and of each ancestor up to the mount point, deepest first,
  /// for a cgroup hierarchy mounted here. A path outside the mount's root (a cgroup namespace
  /// shows `/`) starts at the mount point.
  func folders(for cgroupPath: String) -> [String] {
    var relative = cgroupPath
    if root != "/" {
      relative = relative.hasPrefix(root) ? String(relative.dropFirst(root.count)) : "/"
    }
    var components = relative.split(separator: "/").map(String.init)
    var folders: [String] = []
    while true {
      folders.append(([point] + components).joined(separator: "/"))
      if components.isEmpty { break }
      components.removeLast()
    }
    return folders
  }
}
