/// Every exit code `sepbench` uses (DESIGN.md, "Command line contract").
enum ExitStatus: Int32 {
  /// Success.
  case ok = 0
  /// A variant failed validation, or (for `check`) a regression was found.
  case failed = 1
  /// Bad input: an impossible shape, an unknown name, an unreadable file, an unwritable path,
  /// a result folder that is in use or already holds results.
  case badInput = 2
  /// Stopped by SIGHUP (128 + 1); the result folder holds the finished cases, marked
  /// incomplete.
  case hangUp = 129
  /// Stopped by SIGINT (128 + 2), as `hangUp`.
  case interrupted = 130
  /// Stopped by SIGTERM (128 + 15), as `hangUp`.
  case terminated = 143

  /// The status of a run stopped by `signal`: 128 + the signal number.
  init?(signal: Int32) { self.init(rawValue: 128 + signal) }
}
