/// Every exit code `sepbench` uses (DESIGN.md, "Command line contract").
enum ExitStatus: Int32 {
  /// Success.
  case ok = 0
  /// A variant failed validation, or (for `check`) a regression was found.
  case failed = 1
  /// Bad input: an impossible shape, an unknown name, an unreadable file, an unwritable path.
  case badInput = 2
  /// Interrupted by SIGINT; the result folder holds the finished cases, marked incomplete.
  case interrupted = 130
}
