#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The two FIFOs through which the runs of one A/B pair take turns (`TurnTaking`), made by
/// the parent before it starts them and removed after.
public struct TurnFIFOs: Sendable {
  /// The FIFO the first run writes and the second reads.
  public let toSecond: String
  /// The FIFO the second run writes and the first reads.
  public let toFirst: String

  /// Why the FIFOs could not be made.
  public struct MakeError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let errno: Int32
    public var description: String {
      "cannot make the turn FIFO \(path): \(String(cString: strerror(errno)))"
    }
  }

  /// Makes `PREFIX-to-second` and `PREFIX-to-first` (replacing leftovers of a killed run).
  public init(prefix: String) throws(MakeError) {
    toSecond = prefix + "-to-second"
    toFirst = prefix + "-to-first"
    for path in [toSecond, toFirst] {
      unlink(path)
      guard mkfifo(path, 0o600) == 0 else { throw MakeError(path: path, errno: errno) }
    }
  }

  /// The `--turns` channel of the run with `role`.
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

  /// Removes both FIFOs.
  public func remove() {
    unlink(toSecond)
    unlink(toFirst)
  }
}
