import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The first stop signal that arrived (0: none yet).
private let receivedSignal = Atomic<Int32>(0)
/// The stop signals whose handler is installed, as a bit mask (bit n: signal n).
private let handledSignals = Atomic<UInt64>(0)

/// Signal handling for `run`. SIGINT (Ctrl-C), SIGTERM (`kill`, `timeout`, CI runners) and
/// SIGHUP (a closed terminal or SSH session) ask the runner to stop after the current shape,
/// so the folder keeps every finished one; the run then exits with 128 + the signal. A second
/// stop signal ends the process at once. SIGPIPE is ignored: a closed stdout (`| head`) must
/// not kill a run whose product is its folder; writes to it just fail.
enum Interrupt {
  static let stopSignals = [SIGINT, SIGTERM, SIGHUP]

  /// Installs the handlers and unblocks the stop signals on the calling thread (a parent may
  /// have started us with them blocked). Call before any worker thread exists, so they
  /// inherit both. SIGHUP stays ignored when the parent ignored it: that is what `nohup`
  /// asks for. SIGINT and SIGTERM are handled even then, because a shell script starts
  /// every background job (`sepbench run … &`) with SIGINT ignored, and its `kill -INT` must
  /// still stop the run.
  static func install() {
    receivedSignal.store(0, ordering: .relaxed)  // initialises both globals outside a handler
    handledSignals.store(0, ordering: .relaxed)
    ignoreBrokenPipes()
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for stop in stopSignals {
      sigaddset(&unblock, stop)
      let previous = signal(stop, Interrupt.handle)
      if stop == SIGHUP,
        unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
      {
        signal(stop, SIG_IGN)
      } else {
        handledSignals.bitwiseOr(1 << UInt64(stop), ordering: .relaxed)
      }
    }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
  }

  /// Records the first stop signal and restores the default action of every handled one, so
  /// that a second signal ends the process. Only async-signal-safe calls.
  private static let handle: @convention(c) (Int32) -> Void = { number in
    _ = receivedSignal.compareExchange(expected: 0, desired: number, ordering: .relaxed)
    let handled = handledSignals.load(ordering: .relaxed)
    // No array here: a handler must not allocate.
    if handled & (1 << UInt64(SIGINT)) != 0 { signal(SIGINT, SIG_DFL) }
    if handled & (1 << UInt64(SIGTERM)) != 0 { signal(SIGTERM, SIG_DFL) }
    if handled & (1 << UInt64(SIGHUP)) != 0 { signal(SIGHUP, SIG_DFL) }
  }

  /// Ignores SIGPIPE only, for commands that keep the default stop signals (`network`): a
  /// write to a closed pipe (stdout, or a turn FIFO whose peer has gone) then fails with EPIPE
  /// instead of killing the process.
  static func ignoreBrokenPipes() {
    signal(SIGPIPE, SIG_IGN)
  }

  /// The stop signal that arrived first, nil when none did.
  static func signalNumber() -> Int32? {
    let number = receivedSignal.load(ordering: .relaxed)
    return number == 0 ? nil : number
  }

  /// True once a stop signal has arrived.
  static func requested() -> Bool { receivedSignal.load(ordering: .relaxed) != 0 }

  /// The exit status for the stop signal that arrived, nil when none did.
  static func exitStatus() -> ExitStatus? {
    let number = receivedSignal.load(ordering: .relaxed)
    return number == 0 ? nil : ExitStatus(signal: number)
  }
}
