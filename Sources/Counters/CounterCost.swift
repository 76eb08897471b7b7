/// What counter calls cost here, like `papi_cost`: the median of many timed calls on the
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
  /// What counts them.
  public let source: CounterSource
  /// The measured operations, in the order `papi_cost` reports them.
  public let items: [Item]

  /// Measures, on the calling thread, for `source == .papi` (the default):
  /// `PAPI_create_eventset` + `PAPI_add_event` for `events` + `PAPI_destroy_eventset`
  /// (`createSamples` times); `PAPI_start` + `PAPI_stop` and `PAPI_read` (`samples` times
  /// each). For `.perfEventOpen` the same three with `perf_event_open` + `close`, RESET +
  /// ENABLE + DISABLE + read, and a group `read`. Events that cannot be counted together make
  /// the later items unmeasured, with the reason.
  public init(
    events: [String], source: CounterSource = .papi, samples: Int = 2000,
    createSamples: Int = 100
  ) {
    self.events = events
    self.source = source
    let label = events.isEmpty ? "empty event set" : "\(events.count) events"
    switch source {
    case .papi:
      items = Self.papiItems(events, label, samples, createSamples)
    case .perfEventOpen:
      items = Self.perfItems(events, label, samples, createSamples)
    }
  }

  private static func papiItems(
    _ events: [String], _ label: String, _ samples: Int, _ createSamples: Int
  ) -> [Item] {
    var items: [Item] = []
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
    let startStop = "PAPI_start + PAPI_stop"
    let read = "PAPI_read"
    guard !events.isEmpty else { return items + unmeasured([startStop, read], emptyNote) }
    let backend = PAPIBackend(multiplexed: false)
    switch backend.create(events: events) {
    case .failure(let error):
      return items + unmeasured([startStop, read], error.description)
    case .success(let set):
      defer { backend.destroy(set) }
      let cycle = Self.median(samples) {
        PAPICalls.start(set).flatMap { PAPICalls.stop(set, count: events.count) }.map { _ in }
      }
      items.append(Self.item(startStop, cycle, samples))
      _ = PAPICalls.start(set)
      let reads = Self.median(samples) { PAPICalls.read(set, count: events.count).map { _ in } }
      _ = PAPICalls.stop(set, count: events.count)
      items.append(Self.item(read, reads, samples))
    }
    return items
  }

  private static func perfItems(
    _ events: [String], _ label: String, _ samples: Int, _ createSamples: Int
  ) -> [Item] {
    let backend = PerfEventBackend()
    let create = Self.median(createSamples) {
      backend.create(events: events).map { backend.destroy($0) }
    }
    var items = [Self.item("perf_event_open + close (\(label))", create, createSamples)]
    let startStop = "RESET + ENABLE + DISABLE + read"
    let read = "read (perf_event group)"
    guard !events.isEmpty else { return items + unmeasured([startStop, read], emptyNote) }
    switch backend.create(events: events) {
    case .failure(let error):
      return items + unmeasured([startStop, read], error.description)
    case .success(let set):
      defer { backend.destroy(set) }
      let cycle = Self.median(samples) {
        backend.start(set).flatMap { backend.stop(set, count: events.count) }.map { _ in }
      }
      items.append(Self.item(startStop, cycle, samples))
      _ = backend.start(set)
      let reads = Self.median(samples) {
        PerfEventCalls.read(set, count: events.count).map { _ in }
      }
      _ = backend.stop(set, count: events.count)
      items.append(Self.item(read, reads, samples))
    }
    return items
  }

  private static let emptyNote = "no event can be counted here, so start/stop/read cannot be timed"

  private static func unmeasured(_ operations: [String], _ note: String) -> [Item] {
    operations.map { Item(operation: $0, medianNanoseconds: nil, samples: 0, note: note) }
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
