/// CSV column names for counters (DESIGN: one `ctr_<EVENT>` column per counter).
public enum CounterColumn {
  /// `ctr_` followed by `event` with every character outside `[A-Za-z0-9_]` replaced by `_`:
  /// `PAPI_TOT_CYC` -> `ctr_PAPI_TOT_CYC`, `perf::TASK-CLOCK` -> `ctr_perf__TASK_CLOCK`,
  /// `perf::CONTEXT-SWITCHES:k=1` -> `ctr_perf__CONTEXT_SWITCHES_k_1`.
  public static func name(for event: String) -> String {
    let safe = event.unicodeScalars.map { scalar -> Character in
      switch scalar {
      case "A"..."Z", "a"..."z", "0"..."9", "_": Character(scalar)
      default: "_"
      }
    }
    return "ctr_" + String(safe)
  }
}
