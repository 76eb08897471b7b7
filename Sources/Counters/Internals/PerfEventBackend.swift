import Synchronization

/// `EventSetBackend` over `perf_event_open` (`PerfEventCalls`), for perf software events
/// (`SoftwareEvent`) when PAPI's perf_event component is disabled.
///
/// An event set is one perf event group opened on the calling thread: `create` opens a leader
/// and its siblings (one file descriptor each), `start` is RESET + ENABLE of the group, `stop`
/// DISABLE + one group `read`, `destroy` closes the descriptors. The set handle is the
/// leader's descriptor. Measured here (`sepbench counters --cost`, release, KVM guest, the 4
/// default software events): create + destroy about 0.1 ms, start + stop about 3 µs, a group
/// read 0.8 µs.
package final class PerfEventBackend: EventSetBackend {
  /// Every open set: leader descriptor -> all descriptors of the group, leader first.
  private let sets = Mutex<[Int32: [Int32]]>([:])

  package init() {}

  package func create(events: [String]) -> Result<Int32, PAPIError> {
    var fds: [Int32] = []
    for name in events {
      let opened = SoftwareEvent.parse(name)
        .mapError { PAPIError(code: 0, call: "perf_event_open", event: name, text: $0.description) }
        .flatMap { PerfEventCalls.open($0, leader: fds.first ?? -1) }
      switch opened {
      case .success(let fd): fds.append(fd)
      case .failure(let error):
        fds.forEach(PerfEventCalls.close)
        return .failure(error)
      }
    }
    guard let leader = fds.first else {
      return .failure(
        PAPIError(code: 0, call: "perf_event_open", text: "an event set needs at least one event"))
    }
    sets.withLock { $0[leader] = fds }
    return .success(leader)
  }

  package func start(_ set: Int32) -> Result<Void, PAPIError> {
    PerfEventCalls.reset(set).flatMap { PerfEventCalls.enable(set) }
  }

  package func stop(_ set: Int32, count: Int) -> Result<[Int64], PAPIError> {
    PerfEventCalls.disable(set).flatMap { PerfEventCalls.read(set, count: count) }
  }

  package func destroy(_ set: Int32) {
    let fds = sets.withLock { $0.removeValue(forKey: set) } ?? []
    fds.reversed().forEach(PerfEventCalls.close)
  }
}

extension EventSetBackend {
  /// Creates a set of `events` on the calling thread, starts and stops it once and destroys
  /// it: success means the events can be counted together here.
  package func tryCounting(_ events: [String]) -> Result<Void, PAPIError> {
    create(events: events).flatMap { set in
      defer { destroy(set) }
      return start(set).flatMap { stop(set, count: events.count) }.map { _ in }
    }
  }
}
