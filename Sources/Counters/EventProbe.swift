/// Finds out, for any list of preset or native event names, which can be counted here.
///
/// Each event is tried alone on a fresh event set on the calling thread, as
/// `papi_command_line <event>` does: `PAPI_event_name_to_code`, `PAPI_create_eventset`,
/// `PAPI_add_named_event`, `PAPI_start`, `PAPI_stop`, `PAPI_destroy_eventset`. About 0.3 ms per
/// event.
public enum EventProbe {
  /// The default events of a `sepbench run`, chosen to exist as PAPI 7.0 presets on both Zen 3
  /// (`amd64_fam19h_zen3`) and recent Intel cores, plus four perf software events.
  ///
  /// `PAPI_FP_OPS` is the FLOP count: on Zen 3 it maps to `RETIRED_SSE_AVX_FLOPS:ANY` (an FMA
  /// lane counts 2, vector lanes are scaled), while PAPI 7.0 defines neither `PAPI_SP_OPS` nor
  /// `PAPI_VEC_SP` there. The context-switch and migration events need the kernel domain
  /// (`:k=1`): in the user-only domain they always read 0.
  public static let defaultEvents = [
    "PAPI_TOT_CYC", "PAPI_TOT_INS", "PAPI_L1_DCM", "PAPI_L2_DCM", "PAPI_FP_OPS", "PAPI_BR_MSP",
    "PAPI_TLB_DM", "perf::TASK-CLOCK", "perf::PAGE-FAULTS", "perf::CONTEXT-SWITCHES:k=1",
    "perf::CPU-MIGRATIONS:k=1",
  ]

  /// Probes every name in `events` (order kept; duplicates probed once each).
  public static func probe(_ events: [String]) -> [EventAvailability] {
    events.map(probe)
  }

  /// Probes one event name; see the type's description for the PAPI calls.
  public static func probe(_ event: String) -> EventAvailability {
    let environment = CounterEnvironment.current
    guard environment.builtWithPAPI else {
      return EventAvailability(
        event: event, status: .noPAPI, papiError: nil, reason: CounterReason.builtWithoutPAPI)
    }
    if let error = environment.libraryError {
      return EventAvailability(
        event: event, status: .noPAPI, papiError: error,
        reason: "PAPI failed to initialise: \(error)")
    }
    let context = environment.contextNote
    func reason(_ head: String, _ error: PAPIError) -> String {
      context.isEmpty ? "\(head): \(error.text)" : "\(head): \(error.text); \(context)"
    }

    if case .failure(let error) = PAPICalls.eventCode(event) {
      let perfDisabled = environment.disabledComponents.contains { $0.hasPrefix("perf_event:") }
      if perfDisabled && !event.hasPrefix("PAPI_") {
        return EventAvailability(
          event: event, status: .componentDisabled, papiError: error,
          reason: reason(CounterReason.componentDisabled, error))
      }
      return EventAvailability(
        event: event, status: .unknownName, papiError: error,
        reason: "\(CounterReason.unknownName) (PAPI says: \(error.text)); "
          + "run `sepbench counters` or `papi_native_avail` for valid names")
    }
    switch tryCounting([event]) {
    case .success:
      return EventAvailability(event: event, status: .available, papiError: nil, reason: "")
    case .failure(let error):
      return EventAvailability(
        event: event, status: .cannotCount, papiError: error,
        reason: reason(CounterReason.cannotCount, error))
    }
  }

  /// Creates an event set on the calling thread holding all of `events`, starts and stops it
  /// once, and destroys it. Success means the events can be counted together in one set.
  package static func tryCounting(_ events: [String], multiplexed: Bool = false)
    -> Result<Void, PAPIError>
  {
    PAPICalls.createEventSet().flatMap { set in
      defer { _ = PAPICalls.destroyEventSet(set) }
      if multiplexed, case .failure(let error) = PAPICalls.makeMultiplexed(set) {
        return .failure(error)
      }
      for event in events {
        if case .failure(let error) = PAPICalls.addEvent(set, event) { return .failure(error) }
      }
      return PAPICalls.start(set).flatMap { PAPICalls.stop(set, count: events.count) }.map { _ in }
    }
  }
}
