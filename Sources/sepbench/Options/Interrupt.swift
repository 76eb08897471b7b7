#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization

private let interruptRequested = Atomic<Bool>(false)

/// Ctrl-C handling for `run`: the first SIGINT asks the runner to stop after the current
/// shape; a second one ends the process at once.
enum Interrupt {
  static func install() {
    signal(SIGINT) { _ in
      interruptRequested.store(true, ordering: .relaxed)
      signal(SIGINT, SIG_DFL)
    }
  }

  /// True once SIGINT has arrived.
  static func requested() -> Bool { interruptRequested.load(ordering: .relaxed) }
}
