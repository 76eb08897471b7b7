/// What PAPI calls cost here, like `papi_cost`: the median of many timed calls on the
/// calling thread, measured with `PAPI_get_real_nsec`.
public struct CounterCost: Sendable {
  /// One measured operation.
  public struct Item: Sendable {
    /// What was timed, e.g. `"PAPI_start + PAPI_stop"`.
    public let operation: String
    /// Median nanoseconds per operation, or nil with `note` saying why it was not measured.
    public let medianNanoseconds: Double?
    /// How many times it was timed.
    public let samples: Int
    /// Why it was not measured, else nil.
    public let note: String?
  }

  /// The events in the measured event set (the first group of the plan).
  public let events: [String]
  /// The measured operations, in the order `papi_cost` reports them.
  public let items: [Item]

  /// Measures, on the calling thread: `PAPI_create_eventset` + `PAPI_add_named_event` for
  /// `events` + `PAPI_destroy_eventset` (`createSamples` times); `PAPI_start` + `PAPI_stop`
  /// and `PAPI_read` (`samples` times each). Events that cannot be counted together make the
  /// later items unmeasured, with the reason.
  public init(events: [String], samples: Int = 2000, createSamples: Int = 100) {
    self.events = events
    var items: [Item] = []
    let label = events.isEmpty ? "empty event set" : "\(events.count) events"
    let create = Self.median(createSamples) { () -> Result<Void, PAPIError> in
      PAPICalls.createEventSet().flatMap { set in
        defer { _ = PAPICalls.destroyEventSet(set) }
        for event in events {
          if case .failure(let error) = PAPICalls.addEvent(set, event) { return .failure(error) }
        }
        return .success(())
      }
    }
    items.append(Self.item("create + add + destroy (\(label))", create, createSamples))
    guard !events.isEmpty else {
      let note = "no event can be counted here, so start/stop/read cannot be timed"
      items.append(Item(operation: "PAPI_start + PAPI_stop", medianNanoseconds: nil, samples: 0, note: note))
      items.append(Item(operation: "PAPI_read", medianNanoseconds: nil, samples: 0, note: note))
      self.items = items
      return
    }
    let backend = PAPIBackend(multiplexed: false)
    switch backend.create(events: events) {
    case .failure(let error):
      let note = error.description
      items.append(Item(operation: "PAPI_start + PAPI_stop", medianNanoseconds: nil, samples: 0, note: note))
      items.append(Item(operation: "PAPI_read", medianNanoseconds: nil, samples: 0, note: note))
    case .success(let set):
      defer { backend.destroy(set) }
      let startStop = Self.median(samples) {
        PAPICalls.start(set).flatMap { PAPICalls.stop(set, count: events.count) }.map { _ in }
      }
      items.append(Self.item("PAPI_start + PAPI_stop", startStop, samples))
      _ = PAPICalls.start(set)
      let read = Self.median(samples) { PAPICalls.read(set, count: events.count).map { _ in } }
      _ = PAPICalls.stop(set, count: events.count)
      items.append(Self.item("PAPI_read", read, samples))
    }
    self.items = items
  }

  private static func item(_ operation: String, _ result: Result<Double, PAPIError>, _ n: Int)
    -> Item
  {
    switch result {
    case .success(let median):
      Item(operation: operation, medianNanoseconds: median, samples: n, note: nil)
    case .failure(let error):
      Item(operation: operation, medianNanoseconds: nil, samples: 0, note: error.description)
    }
  }

  private static func median(_ n: Int, _ body: () -> Result<Void, PAPIError>)
    -> Result<Double, PAPIError>
  {
    var times: [Int64] = []
    times.reserveCapacity(n)
    for _ in 0..<max(n, 1) {
      let t0 = PAPICalls.realNanoseconds()
      let result = body()
      let t1 = PAPICalls.realNanoseconds()
      if case .failure(let error) = result { return .failure(error) }
      times.append(t1 - t0)
    }
    times.sort()
    let mid = times.count / 2
    return .success(
      times.count % 2 == 1 ? Double(times[mid]) : Double(times[mid - 1] + times[mid]) / 2)
  }
}
