/// Which library reads an event's counts.
public enum CounterSource: String, Equatable, Sendable, Codable {
  /// PAPI event sets (`PAPI_add_event`, `PAPI_start`, `PAPI_stop`).
  case papi
  /// The `perf_event_open` system call directly, for the kernel's perf software events
  /// (`perf::TASK-CLOCK`, `perf::PAGE-FAULTS` ...) when PAPI's perf_event component is
  /// disabled, e.g. in a VM without a PMU where libpfm4 finds "no default PMU". Same names and
  /// the same counting domain as PAPI (user mode unless `:k=1`); see `SoftwareEvent`.
  case perfEventOpen = "perf_event_open"
}
