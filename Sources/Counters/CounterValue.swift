/// One counter total for one measurement: a count, or the reason there is none.
///
/// An unavailable counter is never 0: a VM without a PMU, a high `perf_event_paranoid` or a
/// build without PAPI all give `.unavailable` with the reason (DESIGN principle 4), written as
/// an empty CSV cell plus the reason in `meta.json`.
public enum CounterValue: Equatable, Sendable, CustomStringConvertible {
  /// The event's count over the whole measurement, summed over every worker thread.
  case value(Int64)
  /// No count; `reason` says why in one line.
  case unavailable(reason: String)

  /// The count, or nil when unavailable.
  public var count: Int64? {
    if case .value(let v) = self { return v }
    return nil
  }

  /// The count divided by `iterations` (the `ctr_<EVENT>` CSV cell), or nil when unavailable
  /// or `iterations <= 0`.
  public func perIteration(_ iterations: Int) -> Double? {
    guard let count, iterations > 0 else { return nil }
    return Double(count) / Double(iterations)
  }

  /// The count as a decimal, or `unavailable (<reason>)`.
  public var description: String {
    switch self {
    case .value(let v): "\(v)"
    case .unavailable(let reason): "unavailable (\(reason))"
    }
  }
}
