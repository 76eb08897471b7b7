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
/// (one timed sample, then the other build's sample of the same variant) puts both builds'
/// samples within a few milliseconds of each other, so the drift cancels in their ratio as
/// it does between variants of one process.
///
/// Only one of the two processes runs at a time: the other waits in a blocking `read` on a
/// FIFO, so they never compete for a CPU or a cache. The token is one byte. When one process
/// exits (finished, failed or killed), the kernel closes its FIFO ends, the other's `read`
/// returns end-of-file, and the survivor goes on alone: nothing waits forever.
public final class TurnTaking: @unchecked Sendable {
  /// Which process has the first turn.
  public enum Role: String, Sendable, CaseIterable {
    case first, second
  }

  /// The FIFOs of a pair and the role of one process: what `run --turns` receives, as
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

    /// The `--turns` value for this channel.
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

  private var readEnd: Int32
  private var writeEnd: Int32
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
    if !first { waitForTurn() }
  }

  deinit { leave() }

  /// Ends this process's turn and blocks until the other process ends its own (or exits).
  public func pass() {
    guard !alone else { return }
    var token: UInt8 = 1
    let written = withUnsafeBytes(of: &token) { write(writeEnd, $0.baseAddress, 1) }
    guard written == 1 else {
      // EPIPE (SIGPIPE is ignored by `run`): the other process has closed its end.
      alone = true
      return
    }
    turnsPassed += 1
    waitForTurn()
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

  private func waitForTurn() {
    var token: UInt8 = 0
    while true {
      let got = withUnsafeMutableBytes(of: &token) { read(readEnd, $0.baseAddress, 1) }
      if got == 1 { return }
      if got < 0 && errno == EINTR { continue }
      alone = true  // end of file: the other process has exited
      return
    }
  }

  private static func openFIFO(_ path: String, flags: Int32) throws(OpenError) -> Int32 {
    while true {
      let descriptor = open(path, flags | O_CLOEXEC)
      if descriptor >= 0 { return descriptor }
      if errno != EINTR { throw OpenError(path: path, errno: errno) }
    }
  }
}
