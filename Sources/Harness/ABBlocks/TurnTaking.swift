#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Strict turn-taking between the two runs of an A/B pair that are alive at the same time.
///
/// On these guests most of the timing noise is slow drift in machine speed: a whole suite
/// case runs 20–40 % faster or slower in one process than in the next, for every variant
/// alike, while variants timed round-robin in the same process keep their ratios to a few
/// percent. Blocks run one after the other give BASE and HEAD different drift. Taking turns
/// (one timed sample, then the other build's sample) puts both builds' samples of a case
/// within milliseconds of each other, so the drift cancels in their ratio as it does between
/// variants of one process.
///
/// Only one of the two processes runs at a time: the other waits in a blocking `read` on a
/// FIFO. Pinned to one CPU they still share its caches: each sample starts after the other
/// build's sample, which is why `Sampler` runs one untimed call before each timed sample here.
///
/// Each turn carries what its sender just did: a sample of suite case *c*, or the end of case
/// *c*. A process that has finished a case keeps handing the turn back, idle, until the other
/// one has finished that case too (`finishCase()`), so a build that takes more samples in a
/// case (an added variant, a variant that failed on one side) cannot shift the pairing of
/// later cases. When one process exits (finished, failed or killed), the kernel closes its
/// FIFO ends, the other's `read` returns end-of-file, and the survivor goes on alone: nothing
/// waits forever.
public final class TurnTaking {
  /// Which process has the first turn.
  public enum Role: String, Sendable, CaseIterable {
    case first, second
  }

  /// The FIFOs of a pair and the role of one process: what `run --turn-fifos` receives, as
  /// `ROLE,TO_SECOND,TO_FIRST` (the FIFO the first writes and the second reads, then the other).
  public struct Channel: Sendable, Equatable {
    public let role: Role
    public let toSecond: String
    public let toFirst: String

    public init(role: Role, toSecond: String, toFirst: String) {
      self.role = role
      self.toSecond = toSecond
      self.toFirst = toFirst
    }

    /// Parses `ROLE,TO_SECOND,TO_FIRST`; nil when it is not of that form.
    public init?(argument: String) {
      let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
      guard parts.count == 3, let role = Role(rawValue: String(parts[0])),
        !parts[1].isEmpty, !parts[2].isEmpty
      else { return nil }
      self.init(role: role, toSecond: String(parts[1]), toFirst: String(parts[2]))
    }

    /// The `--turn-fifos` value for this channel.
    public var argument: String { "\(role.rawValue),\(toSecond),\(toFirst)" }
  }

  /// Why the channel could not be opened.
  public struct OpenError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let errno: Int32
    public var description: String {
      "cannot open the turn FIFO \(path): \(String(cString: strerror(errno)))"
    }
  }

  /// What a turn reports.
  private enum Message: UInt8 {
    case sample = 1
    case caseDone = 2
  }

  private var readEnd: Int32
  private var writeEnd: Int32
  /// Index of the suite case this process is in, modulo 256 on the wire (the two processes
  /// are never more than one case apart).
  private var currentCase = 0
  /// Turns handed to the other process so far.
  public private(set) var turnsPassed = 0
  /// True once the other process has gone: from then on `pass()` returns at once.
  public private(set) var alone = false

  /// Opens the channel, blocking until the other process has opened its ends, then (second
  /// role) waits for the first turn. Both processes open `toSecond` before `toFirst`, so the
  /// blocking opens meet in the same order and cannot deadlock.
  public init(_ channel: Channel) throws(OpenError) {
    let first = channel.role == .first
    let toSecond = try Self.openFIFO(channel.toSecond, flags: first ? O_WRONLY : O_RDONLY)
    let toFirst: Int32
    do {
      toFirst = try Self.openFIFO(channel.toFirst, flags: first ? O_RDONLY : O_WRONLY)
    } catch {
      close(toSecond)
      throw error
    }
    readEnd = first ? toFirst : toSecond
    writeEnd = first ? toSecond : toFirst
    if !first { _ = receive() }
  }

  deinit { leave() }

  /// Ends this process's turn after a timed sample and blocks until the other process ends
  /// its own (or exits).
  public func pass() {
    guard send(.sample) else { return }
    _ = receive()
  }

  /// Marks the end of the current suite case (call it after every case, timed or not) and
  /// returns once the other process has finished that case too, or has gone.
  public func finishCase() {
    defer { currentCase += 1 }
    while send(.caseDone) {
      guard let reply = receive() else { return }
      // The other process finished this case, or is already in the next one.
      if reply.message == .caseDone || reply.caseIndex != UInt8(truncatingIfNeeded: currentCase) {
        return
      }
    }
  }

  /// Closes both ends, so that the other process goes on alone. Called at exit, or earlier
  /// once this process has nothing left to time.
  public func leave() {
    if readEnd >= 0 { close(readEnd) }
    if writeEnd >= 0 { close(writeEnd) }
    readEnd = -1
    writeEnd = -1
    alone = true
  }

  /// Hands the turn over with `message`; false (and alone from now on) when the other
  /// process has closed its end (EPIPE: `run` and `network` ignore SIGPIPE).
  private func send(_ message: Message) -> Bool {
    guard !alone else { return false }
    var bytes: (UInt8, UInt8) = (message.rawValue, UInt8(truncatingIfNeeded: currentCase))
    while true {
      let written = withUnsafeBytes(of: &bytes) { write(writeEnd, $0.baseAddress, 2) }
      if written == 2 { break }
      if written < 0 && errno == EINTR { continue }
      alone = true
      return false
    }
    turnsPassed += 1
    return true
  }

  /// Waits for the turn; nil (and alone from now on) at end of file: the other process has
  /// exited.
  private func receive() -> (message: Message, caseIndex: UInt8)? {
    var bytes: (UInt8, UInt8) = (0, 0)
    var got = 0
    while got < 2 && !alone {
      let count = withUnsafeMutableBytes(of: &bytes) {
        read(readEnd, $0.baseAddress! + got, 2 - got)
      }
      if count > 0 {
        got += count
      } else if count < 0 && errno == EINTR {
        continue
      } else {
        alone = true
      }
    }
    guard got == 2, let message = Message(rawValue: bytes.0) else {
      alone = true
      return nil
    }
    return (message, bytes.1)
  }

  private static func openFIFO(_ path: String, flags: Int32) throws(OpenError) -> Int32 {
    while true {
      let descriptor = open(path, flags | O_CLOEXEC)
      if descriptor >= 0 { return descriptor }
      if errno != EINTR { throw OpenError(path: path, errno: errno) }
    }
  }
}
