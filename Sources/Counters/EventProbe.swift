#if canImport(Glibc)
  import Glibc
#endif

/// Finds out, for any list of preset or native event names, which can be counted here.
///
/// Each event is tried alone on a fresh event set on the calling thread, as
/// `papi_command_line <event>` does: `PAPI_event_name_to_code`, `PAPI_create_eventset`,
/// `PAPI_add_event`, `PAPI_start`, `PAPI_stop`, `PAPI_destroy_eventset`. About 0.3 ms per
/// event.
///
/// When PAPI's perf_event component is disabled (a VM without a PMU), PAPI cannot even look up
/// the perf software events, though the kernel counts them for any thread that asks about
/// itself. For those names (`SoftwareEvent`) the probe tries `perf_event_open` directly; if it
/// works the event is available with `source == .perfEventOpen`.
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
      if let disabled = environment.perfEventDisabledReason, !event.hasPrefix("PAPI_") {
        switch SoftwareEvent.parse(event) {
        case .success(let software):
          return probeDirectly(software, disabled: disabled, environment)
        case .failure(.notASoftwareEvent):
          return EventAvailability(
            event: event, status: .componentDisabled, papiError: error,
            reason: reason(CounterReason.componentDisabled, error))
        case .failure(let parseError):
          return EventAvailability(
            event: event, status: .componentDisabled, papiError: error,
            reason: reason(CounterReason.componentDisabled, error) + "; \(parseError)")
        }
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

  /// The fallback for a perf software event when PAPI's perf_event component is disabled:
  /// opens, enables, disables, reads and closes it with `perf_event_open` on the calling
  /// thread (`PerfEventBackend`). `disabled` is the component's reason.
  private static func probeDirectly(
    _ event: SoftwareEvent, disabled: String, _ environment: CounterEnvironment
  ) -> EventAvailability {
    switch PerfEventBackend().tryCounting([event.name]) {
    case .success:
      return EventAvailability(
        event: event.name, status: .available, papiError: nil,
        reason: "\(CounterReason.perfEventOpen) (\(disabled))", source: .perfEventOpen)
    case .failure(let error):
      var parts = ["\(CounterReason.perfEventOpenFailed): \(error.text) (errno \(error.code))"]
      if let hint = hint(event, errno: error.code, paranoid: environment.perfEventParanoid) {
        parts.append(hint)
      }
      if !environment.contextNote.isEmpty { parts.append(environment.contextNote) }
      return EventAvailability(
        event: event.name, status: .cannotCount, papiError: error,
        reason: parts.joined(separator: "; "), source: .perfEventOpen)
    }
  }

  /// What usually causes `errno` from `perf_event_open` for `event`, or nil.
  package static func hint(_ event: SoftwareEvent, errno: Int32, paranoid: Int?) -> String? {
    switch errno {
    case EACCES, EPERM:
      if !event.excludeKernel, let paranoid, paranoid >= 2 {
        return "counting kernel mode (:k=1) needs perf_event_paranoid <= 1 or CAP_PERFMON, "
          + "and perf_event_paranoid=\(paranoid)"
      }
      if let paranoid, paranoid >= 3 {
        return "perf_event_paranoid=\(paranoid) forbids perf_event_open to unprivileged users "
          + "(a Debian/Ubuntu kernel patch); lower it to 2"
      }
      return "a container's seccomp profile may forbid perf_event_open"
    case ENOSYS:
      return "this kernel has no perf events, or a seccomp profile hides perf_event_open"
    case ENOENT, EINVAL, EOPNOTSUPP:
      return "this kernel does not know \(event.kind.kernelName)"
    default:
      return nil
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
