/// Which of the requested events are counted, and in which event group.
///
/// Events that do not fit in one event set (too few hardware counters, or conflicting
/// constraints) are split into groups, each counted on its own repetitions (likwid-style), so
/// every count is exact rather than extrapolated. With `multiplex: true` and a PAPI that can
/// multiplex here, all PAPI events go in one multiplexed set instead.
///
/// Perf software events counted with `perf_event_open` directly (PAPI's perf_event component
/// disabled, `CounterSource.perfEventOpen`) never share a group with PAPI events: they form
/// group(s) of their own after the PAPI groups, counted on a repetition of their own like any
/// other group. (Counting both around the same body would save that repetition, but where the
/// fallback applies PAPI has no perf_event component and so, in practice, no other event to
/// count beside them.)
public struct CounterPlan: Sendable {
  /// The requested events, in order, each once.
  public let events: [String]
  /// The probe result of every requested event, in order.
  public let availability: [EventAvailability]
  /// The available events, split into event sets that can be counted together. Group `g` is
  /// counted with `CounterSession.start(worker:group:)`; empty when nothing is available.
  /// PAPI groups come first, then the `perf_event_open` ones (`groupSources`).
  public let groups: [[String]]
  /// What counts each group, parallel to `groups`.
  public let groupSources: [CounterSource]
  /// True when the PAPI events are one multiplexed set (group 0).
  public let isMultiplexed: Bool
  /// Why multiplexing was not used or is impossible here, e.g.
  /// `PAPI_assign_eventset_component failed: ...`; nil when multiplexed.
  public let multiplexingNote: String?
  /// One record per requested event, for `meta.json`.
  public let measurements: [EventMeasurement]

  /// Probes `events` (`EventProbe.probe`) and groups the available ones by trying them in
  /// real event sets on the calling thread (`PAPI_add_named_event` fails with `PAPI_ECNFLCT`
  /// when a set is full; `perf_event_open` groups for the fallback events). `multiplex`
  /// (default false) asks for one multiplexed set of the PAPI events instead. A name given
  /// twice is counted once, at its first position: each event is one `ctr_<EVENT>` column.
  public init(events requested: [String], multiplex: Bool = false) {
    var seen: Set<String> = []
    let events = requested.filter { seen.insert($0).inserted }
    let availability = EventProbe.probe(events)
    let available = availability.filter { $0.isAvailable && $0.source == .papi }.map(\.event)
    let direct = availability.filter { $0.isAvailable && $0.source == .perfEventOpen }
      .map(\.event)
    var groups: [[String]] = []
    var rejected: [String: String] = [:]
    var multiplexed = false
    var note: String? = nil
    if multiplex, !available.isEmpty {
      if let error = CounterEnvironment.current.multiplexingError {
        note = "multiplexing unavailable here: \(error)"
      } else if case .failure(let error) = EventProbe.tryCounting(available, multiplexed: true) {
        note = "multiplexing failed: \(error)"
      } else {
        groups = [available]
        multiplexed = true
      }
    } else if multiplex {
      note = "multiplexing requested, but PAPI counts none of the events here"
    } else if let error = CounterEnvironment.current.multiplexingError {
      note = "multiplexing not requested; unavailable here anyway: \(error)"
    } else {
      note = "multiplexing not requested"
    }
    if !multiplexed {
      let split = Self.group(available) { EventProbe.tryCounting($0).isSuccess }
      groups = split.groups
      for event in split.rejected {
        rejected[event] = "counts alone but not beside other events (resource conflict)"
      }
    }
    var sources = Array(repeating: CounterSource.papi, count: groups.count)
    let backend = PerfEventBackend()
    let directSplit = Self.group(direct) { backend.tryCounting($0).isSuccess }
    groups += directSplit.groups
    sources += Array(repeating: .perfEventOpen, count: directSplit.groups.count)
    for event in directSplit.rejected {
      rejected[event] = "opens alone but not in a perf_event_open group with the others"
    }
    self.init(
      events: events, availability: availability, groups: groups, isMultiplexed: multiplexed,
      multiplexingNote: note, rejected: rejected, groupSources: sources)
  }

  /// Assembles a plan from parts (tests and `init(events:multiplex:)`). `groupSources`
  /// defaults to PAPI for every group.
  package init(
    events: [String], availability: [EventAvailability], groups: [[String]],
    isMultiplexed: Bool, multiplexingNote: String?, rejected: [String: String] = [:],
    groupSources: [CounterSource]? = nil
  ) {
    let sources = groupSources ?? Array(repeating: .papi, count: groups.count)
    precondition(sources.count == groups.count, "one source per group")
    self.events = events
    self.availability = availability
    self.groups = groups
    self.groupSources = sources
    self.isMultiplexed = isMultiplexed
    self.multiplexingNote = multiplexingNote
    self.measurements = availability.map { probe in
      if let index = groups.firstIndex(where: { $0.contains(probe.event) }) {
        if sources[index] == .perfEventOpen {
          return EventMeasurement(
            event: probe.event, method: .perfEventOpen, group: index,
            reason: probe.reason.isEmpty ? CounterReason.perfEventOpen : probe.reason)
        }
        return EventMeasurement(
          event: probe.event, method: isMultiplexed ? .multiplexed : .group, group: index,
          reason: nil)
      }
      let reason =
        probe.isAvailable ? (rejected[probe.event] ?? "not placed in any group") : probe.reason
      return EventMeasurement(event: probe.event, method: .unavailable, group: nil, reason: reason)
    }
  }

  /// First-fit grouping: each event goes into the first group it fits in beside the events
  /// already there (`fits` is asked about the whole candidate group), else into a new group
  /// if it fits alone, else into `rejected`. Order within groups follows `events`.
  package static func group(_ events: [String], fits: ([String]) -> Bool)
    -> (groups: [[String]], rejected: [String])
  {
    var groups: [[String]] = []
    var rejected: [String] = []
    for event in events {
      if let index = groups.firstIndex(where: { fits($0 + [event]) }) {
        groups[index].append(event)
      } else if fits([event]) {
        groups.append([event])
      } else {
        rejected.append(event)
      }
    }
    return (groups, rejected)
  }

  /// The probe result of `event`, or nil when it was not requested.
  public func availability(of event: String) -> EventAvailability? {
    availability.first { $0.event == event }
  }
}

extension Result {
  var isSuccess: Bool {
    if case .success = self { return true }
    return false
  }
}
