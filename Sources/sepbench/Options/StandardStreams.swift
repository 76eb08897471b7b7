import Foundation

/// The standard streams of a run, made safe to lose: a run's product is its folder, so a
/// closed stdout or stderr (`sepbench run … | head`, a terminal that went away) must neither
/// end the run nor leak into its files. SIGPIPE itself is ignored by `Interrupt.install`.
enum StandardStreams {
  /// Opens `/dev/null` on each of descriptors 0, 1 and 2 that is closed, so that no file the
  /// run opens later gets one of those numbers and receives what is printed.
  static func fillClosed() {
    for descriptor in Int32(0)...2 where fcntl(descriptor, F_GETFD) == -1 {
      let opened = open("/dev/null", O_RDWR)
      if opened >= 0, opened != descriptor {
        dup2(opened, descriptor)
        close(opened)
      }
    }
  }

  /// Writes `text` to stderr. A failed write is dropped: `FileHandle.write` would stop the
  /// process on it (it traps on EPIPE).
  static func error(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
      if written > 0 {
        bytes = bytes.dropFirst(written)
      } else if written < 0, errno == EINTR {
        continue
      } else {
        return
      }
    }
  }
}
