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
  }

  /// The event name, e.g. `perf::TASK-CLOCK`.
  public let event: String
  /// Its CSV column, `CounterColumn.name(for: event)`, e.g. `ctr_perf__TASK_CLOCK`.
  public let column: String
  /// How it is measured.
  public let method: Method
  /// The group index (0-based) for `.group` and `.multiplexed` (always 0), else nil.
  public let group: Int?
  /// Why it is unavailable (the probe's reason), else nil.
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
