import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The two FIFOs through which the runs of one A/B pair take turns (`TurnTaking`), made by
/// the parent in a private temporary folder before it starts them and removed after.
public struct TurnFIFOs: Sendable {
  /// The folder that holds both FIFOs.
  public let folder: String
  /// The FIFO the first run writes and the second reads.
  public var toSecond: String { folder + "/to-second" }
  /// The FIFO the second run writes and the first reads.
  public var toFirst: String { folder + "/to-first" }

  /// Why the FIFOs could not be made.
  public struct MakeError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "cannot make the turn FIFO \(path): \(reason)" }
  }

  /// Makes a folder `sepbench-turns-XXXXXX` in the temporary folder ($TMPDIR) and both FIFOs
  /// in it.
  public init() throws(MakeError) {
    var template = Array(
      (FileManager.default.temporaryDirectory.path + "/sepbench-turns-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard let made else {
      throw MakeError(
        path: FileManager.default.temporaryDirectory.path + "/sepbench-turns-XXXXXX",
        reason: String(cString: strerror(errno)))
    }
    folder = String(cString: made)
    // `run --turn-fifos` takes the two paths comma-separated.
    guard !folder.contains(",") else {
      rmdir(folder)
      throw MakeError(path: folder, reason: "the temporary folder's path holds a comma")
    }
    for path in [toSecond, toFirst] where mkfifo(path, 0o600) != 0 {
      let reason = String(cString: strerror(errno))
      remove()
      throw MakeError(path: path, reason: reason)
    }
  }

  /// The `--turn-fifos` channel of the run with `role`.
  public func channel(_ role: TurnTaking.Role) -> TurnTaking.Channel {
    TurnTaking.Channel(role: role, toSecond: toSecond, toFirst: toFirst)
  }

  /// Lets a run that still waits in `open` for a partner that died go on alone: opening a
  /// FIFO read-write never blocks (Linux) and counts as the missing partner; closing it at
  /// once leaves the run reading end-of-file, which it takes as "the other run has gone".
  public func releaseSurvivor() {
    for path in [toSecond, toFirst] {
      let descriptor = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
      if descriptor >= 0 { close(descriptor) }
    }
  }

  /// Removes both FIFOs and their folder.
  public func remove() {
    unlink(toSecond)
    unlink(toFirst)
    rmdir(folder)
  }
}
