import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

private let interruptRequested = Atomic<Bool>(false)

/// Ctrl-C handling for `run`: the first SIGINT asks the runner to stop after the current
/// shape; a second one ends the process at once.
enum Interrupt {
  /// Installs the handler and unblocks SIGINT on the calling thread (a parent may have
  /// started us with it blocked). Call before any worker thread exists, so they inherit it.
  static func install() {
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    signal(SIGINT) { _ in
      interruptRequested.store(true, ordering: .relaxed)
      signal(SIGINT, SIG_DFL)
    }
  }

  /// True once SIGINT has arrived.
  static func requested() -> Bool { interruptRequested.load(ordering: .relaxed) }
}
