/// What `CounterSession` needs from a counting library: event sets bound to the thread that
/// creates them. The real ones are `PAPIBackend` and `PerfEventBackend` (perf software events
/// when PAPI's perf_event component is disabled); tests substitute a thread-CPU-clock backend so
/// the per-thread bookkeeping is exercised even on machines where PAPI counts nothing.
package protocol EventSetBackend: Sendable {
  /// Creates an event set holding `events` on the calling thread; counts only this thread.
  func create(events: [String]) -> Result<Int32, PAPIError>
  /// Starts counting; called on the creating thread.
  func start(_ set: Int32) -> Result<Void, PAPIError>
  /// Stops counting and returns one count per event; called on the creating thread.
  func stop(_ set: Int32, count: Int) -> Result<[Int64], PAPIError>
  /// Destroys the set; called on the creating thread.
  func destroy(_ set: Int32)
}

/// `EventSetBackend` over PAPI (`PAPICalls`).
package struct PAPIBackend: EventSetBackend {
  /// Whether sets are made multiplexed (`PAPI_set_multiplex`) before events are added.
  package let multiplexed: Bool

  package init(multiplexed: Bool) { self.multiplexed = multiplexed }

  package func create(events: [String]) -> Result<Int32, PAPIError> {
    PAPICalls.createEventSet().flatMap { set in
      var result: Result<Void, PAPIError> =
        multiplexed ? PAPICalls.makeMultiplexed(set) : .success(())
      for event in events {
        result = result.flatMap { PAPICalls.addEvent(set, event) }
      }
      if case .failure(let error) = result {
        _ = PAPICalls.destroyEventSet(set)
        return .failure(error)
      }
      return .success(set)
    }
  }

  package func start(_ set: Int32) -> Result<Void, PAPIError> { PAPICalls.start(set) }

  package func stop(_ set: Int32, count: Int) -> Result<[Int64], PAPIError> {
    PAPICalls.stop(set, count: count)
  }

  package func destroy(_ set: Int32) { _ = PAPICalls.destroyEventSet(set) }
}
