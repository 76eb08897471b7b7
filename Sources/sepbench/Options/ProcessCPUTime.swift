import Foundation

/// CPU time of this process, all threads, user and system.
enum ProcessCPUTime {
  /// Seconds so far (`getrusage(RUSAGE_SELF)`).
  static func seconds() -> Double {
    var usage = rusage()
    #if os(Linux)
      let who = RUSAGE_SELF.rawValue
    #else
      let who = RUSAGE_SELF
    #endif
    guard getrusage(who, &usage) == 0 else { return 0 }
    func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return value(usage.ru_utime) + value(usage.ru_stime)
  }
}
