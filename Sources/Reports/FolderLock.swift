import Foundation

/// An exclusive lock on a result folder, so that two runs never write into the same folder:
/// `flock` on `.sepbench.lock` inside it, which holds the owner's process id.
///
/// The kernel drops the lock when its owner exits, however it ends, so a killed run never
/// leaves a folder locked. `release` removes the file while still holding the lock; a run
/// that opened the file just before that notices, after its own `flock`, that the path now
/// names another file (or none) and tries again, so two runs never both hold "the" lock.
public final class FolderLock {
  /// The lock file's name inside the folder.
  public static let fileName = ".sepbench.lock"

  public let path: String
  private var descriptor: Int32

  private init(path: String, descriptor: Int32) {
    self.path = path
    self.descriptor = descriptor
  }

  /// Takes the lock of `folder`, which must exist, without waiting.
  /// - Throws: `FileError.inUse` when another process holds it, `FileError.unwritable` when
  ///   the lock file cannot be made.
  public static func acquire(_ folder: URL) throws -> FolderLock {
    let path = folder.appendingPathComponent(fileName).path
    for _ in 0..<100 {
      // O_CLOEXEC: child processes (git, for the commit) must not inherit the lock.
      let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        throw FileError.unwritable(path: folder.path, reason: String(cString: strerror(errno)))
      }
      if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
        let code = errno
        let owner = code == EWOULDBLOCK ? Self.owner(descriptor) : nil
        close(descriptor)
        if code == EWOULDBLOCK { throw FileError.inUse(path: folder.path, pid: owner) }
        throw FileError.unwritable(path: path, reason: String(cString: strerror(code)))
      }
      if Self.isStillNamed(path, descriptor) {
        let pid = "\(getpid())\n"
        ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return FolderLock(path: path, descriptor: descriptor)
      }
      close(descriptor)
    }
    throw FileError.unwritable(path: path, reason: "the lock file keeps being replaced")
  }

  /// Removes the lock file and drops the lock. Safe to call more than once.
  public func release() {
    guard descriptor >= 0 else { return }
    unlink(path)
    close(descriptor)
    descriptor = -1
  }

  deinit { release() }

  /// True when `path` still names the file open as `descriptor`.
  private static func isStillNamed(_ path: String, _ descriptor: Int32) -> Bool {
    var opened = stat()
    var named = stat()
    guard fstat(descriptor, &opened) == 0, stat(path, &named) == 0 else { return false }
    return opened.st_dev == named.st_dev && opened.st_ino == named.st_ino
  }

  /// The process id written in the lock file, if it can be read.
  private static func owner(_ descriptor: Int32) -> Int32? {
    var buffer = [UInt8](repeating: 0, count: 32)
    let count = pread(descriptor, &buffer, buffer.count, 0)
    guard count > 0 else { return nil }
    let text = String(decoding: buffer[..<count], as: UTF8.self)
    return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}
