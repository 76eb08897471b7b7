/// The fixed phrases of unavailability reasons, so callers and tests can match them.
public enum CounterReason {
  /// The reason every event gives in a build without the `PAPI` trait (or not on Linux).
  public static let builtWithoutPAPI = "built without PAPI"
  /// Prefix of the reason for a name PAPI does not know at all (probably misspelt).
  public static let unknownName = "unknown event name"
  /// Prefix of the reason for a name PAPI knows but cannot count on this machine.
  public static let cannotCount = "known to PAPI but cannot be counted here"
  /// Prefix of the reason for a native name PAPI cannot look up because the component that
  /// would own it (perf_event) is disabled; the name may be valid on another machine.
  public static let componentDisabled = "cannot be looked up: PAPI component disabled"
  /// Reason of an event counted with `perf_event_open` directly (`CounterSource.perfEventOpen`),
  /// followed by the disabled component's text.
  public static let perfEventOpen =
    "counted with perf_event_open directly because PAPI's perf_event component is disabled"
  /// Prefix of the reason for a perf software event PAPI cannot reach (component disabled) and
  /// `perf_event_open` refuses too.
  public static let perfEventOpenFailed =
    "PAPI's perf_event component is disabled and perf_event_open failed"
}
