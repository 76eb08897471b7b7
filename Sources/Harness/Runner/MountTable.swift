import Foundation

/// The mounts this process sees, from `/proc/self/mountinfo`: where each file system is
/// mounted and of which type. Used to find the cgroup hierarchies (`CgroupMemoryLimit`) and to
/// tell a kernel pseudo file system such as `/proc`, where no folder can be created, from an
/// ordinary one.
package struct MountTable: Sendable {
  /// One line of `/proc/self/mountinfo`:
  /// `id parent major:minor root mountpoint options [optional...] - type source superoptions`.
  package struct Mount: Sendable, Equatable {
    /// The folder of the file system that is mounted (not `/` for a bind mount).
    package let root: String
    /// Where it is mounted.
    package let point: String
    /// The file system type, e.g. `ext4`, `proc`, `cgroup2`.
    package let type: String
    /// The super options, e.g. `rw,memory` for the v1 memory cgroup hierarchy.
    package let options: [String]

    init?(_ line: Substring) {
      let fields = line.split(separator: " ")
      guard let dash = fields.firstIndex(of: "-"), dash >= 5, dash + 1 < fields.count else {
        return nil
      }
      root = Self.unescape(fields[3])
      point = Self.unescape(fields[4])
      type = String(fields[dash + 1])
      options =
        dash + 3 < fields.count ? fields[dash + 3].split(separator: ",").map(String.init) : []
    }

    /// Undoes mountinfo's octal escapes of space, tab, newline and backslash (`\040`).
    static func unescape(_ field: Substring) -> String {
      guard field.contains("\\") else { return String(field) }
      var bytes: [UInt8] = []
      var utf8 = Array(field.utf8)[...]
      while let byte = utf8.popFirst() {
        if byte == UInt8(ascii: "\\"), utf8.count >= 3,
          let code = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8)
        {
          bytes.append(code)
          utf8 = utf8.dropFirst(3)
        } else {
          bytes.append(byte)
        }
      }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// Every mount, in mount order.
  package let mounts: [Mount]

  /// The mounts listed in `mountInfo`, the text of a `/proc/<pid>/mountinfo` file.
  package init(mountInfo: String) {
    mounts = mountInfo.split(separator: "\n").compactMap(Mount.init)
  }

  /// This process's mounts; nil where `/proc/self/mountinfo` cannot be read (not Linux).
  package static func current() -> MountTable? {
    (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8))
      .map(MountTable.init(mountInfo:))
  }

  /// The mount that holds the absolute, symlink-free `path`: the longest mount point that
  /// contains it, the latest mounted among equal ones (it hides the earlier).
  package func mount(containing path: String) -> Mount? {
    var best: Mount?
    for mount in mounts where Self.path(path, isInside: mount.point) {
      if best == nil || mount.point.count >= best!.point.count { best = mount }
    }
    return best
  }

  private static func path(_ path: String, isInside folder: String) -> Bool {
    folder == "/" || path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
  }

  /// Kernel file systems that hold no files of their own, where `mkdir` fails.
  package static let pseudoFileSystems: Set<String> = [
    "proc", "sysfs", "cgroup", "cgroup2", "devpts", "debugfs", "tracefs", "securityfs", "pstore",
    "bpf", "configfs", "fusectl", "efivarfs", "binfmt_misc", "mqueue", "autofs", "nsfs",
  ]
}
