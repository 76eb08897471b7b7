/// Whether one event can be counted here and, if not, which case applies and why.
public struct EventAvailability: Equatable, Sendable {
  /// The four ways an event can be (un)available.
  public enum Status: String, Equatable, Sendable, Codable {
    /// `PAPI_add_event`, `PAPI_start` and `PAPI_stop` all succeeded on a fresh set.
    case available
    /// `PAPI_event_name_to_code` failed while the component that would own the name is
    /// active: PAPI does not know the name (probably misspelt). Bad input on the command line.
    case unknownName = "unknown-name"
    /// The name resolves, but adding or starting it fails (e.g. no PMU in a VM, or
    /// `perf_event_paranoid` too high). Also a perf software event whose `perf_event_open`
    /// fallback fails (`source == .perfEventOpen`).
    case cannotCount = "cannot-count"
    /// A native name (`perf::...`) cannot be looked up because PAPI's perf_event component is
    /// disabled, and it is not a software event the `perf_event_open` fallback counts
    /// (`SoftwareEvent`); it may exist on another machine.
    case componentDisabled = "component-disabled"
    /// Built without the `PAPI` trait, or PAPI failed to initialise.
    case noPAPI = "no-papi"
  }

  /// The event name as requested, e.g. `PAPI_TOT_CYC` or `perf::TASK-CLOCK`.
  public let event: String
  /// Which case applies.
  public let status: Status
  /// The PAPI call that failed and PAPI's own text (for `source == .perfEventOpen`, the system
  /// call and `strerror`), or nil when available or built without PAPI.
  public let papiError: PAPIError?
  /// One line for a person: the case, PAPI's (or the system call's) text, and context (VM,
  /// `perf_event_paranoid`, disabled component). Empty when available through PAPI; for an
  /// event available through `perf_event_open`, why PAPI is bypassed
  /// (`CounterReason.perfEventOpen` and the disabled component).
  public let reason: String
  /// What counts (`.available`) or was tried (`.cannotCount`): PAPI, or `perf_event_open` for
  /// a perf software event when PAPI's perf_event component is disabled.
  public let source: CounterSource

  /// True when the event can be counted here.
  public var isAvailable: Bool { status == .available }

  /// Makes a probe result (used by `EventProbe` and by tests); `source` defaults to `.papi`.
  public init(
    event: String, status: Status, papiError: PAPIError?, reason: String,
    source: CounterSource = .papi
  ) {
    self.event = event
    self.status = status
    self.papiError = papiError
    self.reason = reason
    self.source = source
  }
}
