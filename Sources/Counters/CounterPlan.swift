/// Which of the requested events are counted, and in which event group.
///
/// Events that do not fit in one event set (too few hardware counters, or conflicting
/// constraints) are split into groups, each counted on its own repetitions (likwid-style), so
/// every count is exact rather than extrapolated. With `multiplex: true` and a PAPI that can
/// multiplex here, all events go in one multiplexed set instead.
public struct CounterPlan: Sendable {
  /// The requested events, in order.
  public let events: [String]
  /// The probe result of every requested event, in order.
  public let availability: [EventAvailability]
  /// The available events, split into event sets that can be counted together. Group `g` is
  /// counted with `CounterSession.start(worker:group:)`; empty when nothing is available.
  public let groups: [[String]]
  /// True when `groups` is one multiplexed set.
  public let isMultiplexed: Bool
  /// Why multiplexing was not used or is impossible here, e.g.
  /// `PAPI_assign_eventset_component failed: ...`; nil when multiplexed.
  public let multiplexingNote: String?
  /// One record per requested event, for `meta.json`.
  public let measurements: [EventMeasurement]

  /// Probes `events` (`EventProbe.probe`) and groups the available ones by trying them in
  /// real event sets on the calling thread (`PAPI_add_named_event` fails with `PAPI_ECNFLCT`
  /// when a set is full). `multiplex` (default false) asks for one multiplexed set instead.
  public init(events: [String], multiplex: Bool = false) {
    let availability = EventProbe.probe(events)
    let available = availability.filter(\.isAvailable).map(\.event)
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
    self.init(
      events: events, availability: availability, groups: groups, isMultiplexed: multiplexed,
      multiplexingNote: note, rejected: rejected)
  }

  /// Assembles a plan from parts (tests and `init(events:multiplex:)`).
  package init(
    events: [String], availability: [EventAvailability], groups: [[String]],
    isMultiplexed: Bool, multiplexingNote: String?, rejected: [String: String] = [:]
  ) {
    self.events = events
    self.availability = availability
    self.groups = groups
    self.isMultiplexed = isMultiplexed
    self.multiplexingNote = multiplexingNote
    self.measurements = availability.map { probe in
      if let index = groups.firstIndex(where: { $0.contains(probe.event) }) {
        return EventMeasurement(
          event: probe.event, method: isMultiplexed ? .multiplexed : .group, group: index,
          reason: nil)
      }
      let reason = probe.isAvailable ? (rejected[probe.event] ?? "not placed in any group") : probe.reason
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
