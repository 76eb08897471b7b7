/// How one requested event is measured in a run: a record for `meta.json`.
public struct EventMeasurement: Equatable, Sendable, Codable {
  /// How the counts are obtained.
  public enum Method: String, Equatable, Sendable, Codable {
    /// In event group `group`, counted on its own repetitions (all groups: likwid-style).
    case group
    /// In one multiplexed event set; PAPI scales the counts by time enabled / time running.
    case multiplexed
    /// Not measured; see `reason`.
    case unavailable
    /// In event group `group`, counted on its own repetitions with the `perf_event_open`
    /// system call directly, not through PAPI: a perf software event while PAPI's perf_event
    /// component is disabled (`reason` says so, with the component's text). Same names and
    /// counting domain as PAPI (`CounterSource.perfEventOpen`).
    case perfEventOpen = "perf_event_open"
  }

  /// The event name, e.g. `perf::TASK-CLOCK`.
  public let event: String
  /// Its CSV column, `CounterColumn.name(for: event)`, e.g. `ctr_perf__TASK_CLOCK`.
  public let column: String
  /// How it is measured.
  public let method: Method
  /// The group index (0-based) for `.group`, `.perfEventOpen` and `.multiplexed` (always 0),
  /// else nil.
  public let group: Int?
  /// Why it is unavailable (the probe's reason); for `.perfEventOpen`, why PAPI is bypassed
  /// (`CounterReason.perfEventOpen` and the disabled component's text); else nil.
  public let reason: String?

  /// Makes a record; `column` is derived from `event`.
  public init(event: String, method: Method, group: Int?, reason: String?) {
    self.event = event
    self.column = CounterColumn.name(for: event)
    self.method = method
    self.group = group
    self.reason = reason
  }
}
