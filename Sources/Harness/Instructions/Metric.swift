/// What a run measures of each validated kernel.
public enum Metric: String, Sendable, Codable, CaseIterable {
  /// Wall-clock time of timed samples (`samples.csv`).
  case time
  /// Instructions of one call on one thread (`instructions.csv`), from `PAPI_TOT_INS` or
  /// callgrind: deterministic, so a regression check needs no repetitions, but blind to
  /// memory-bandwidth, cache and frequency effects.
  case instructions
}
