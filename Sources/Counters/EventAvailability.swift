/// Whether one event can be counted here and, if not, which case applies and why.
public struct EventAvailability: Equatable, Sendable {
  /// The four ways an event can be (un)available.
  public enum Status: String, Equatable, Sendable, Codable {
    /// `PAPI_add_named_event`, `PAPI_start` and `PAPI_stop` all succeeded on a fresh set.
    case available
    /// `PAPI_event_name_to_code` failed while the component that would own the name is
    /// active: PAPI does not know the name (probably misspelt). Bad input on the command line.
    case unknownName = "unknown-name"
    /// The name resolves, but adding or starting it fails (e.g. no PMU in a VM, or
    /// `perf_event_paranoid` too high).
    case cannotCount = "cannot-count"
    /// A native name (`perf::...`) cannot be looked up because PAPI's perf_event component is
    /// disabled; it may exist on another machine.
    case componentDisabled = "component-disabled"
    /// Built without the `PAPI` trait, or PAPI failed to initialise.
    case noPAPI = "no-papi"
  }

  /// The event name as requested, e.g. `PAPI_TOT_CYC` or `perf::TASK-CLOCK`.
  public let event: String
  /// Which case applies.
  public let status: Status
  /// The PAPI call that failed and PAPI's own text, or nil when available or built without
  /// PAPI.
  public let papiError: PAPIError?
  /// One line for a person: the case, PAPI's text, and context (VM, `perf_event_paranoid`,
  /// disabled component). Empty when available.
  public let reason: String

  /// True when the event can be counted here.
  public var isAvailable: Bool { status == .available }

  /// Makes a probe result (used by `EventProbe` and by tests).
  public init(event: String, status: Status, papiError: PAPIError?, reason: String) {
    self.event = event
    self.status = status
    self.papiError = papiError
    self.reason = reason
  }
}
