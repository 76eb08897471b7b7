import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Counts the events of a `CounterPlan` on every thread of a multithreaded kernel.
///
/// A PAPI event set (and a `perf_event_open` descriptor) counts only the thread that created
/// it, so each worker gets its own sets, created lazily on that worker's thread at its first
/// `start` (PAPI: about 0.25 ms for 4 events) and reused afterwards (start+stop about 6 µs).
/// Groups of perf software events that PAPI cannot reach here (`CounterSource.perfEventOpen`)
/// are counted the same way with `perf_event_open` descriptors: opened on the worker's thread
/// at its first `start`, RESET+ENABLE to start, DISABLE+read to stop, closed by `release`. Call `start(worker:group:)` and
/// `stop(worker:group:)` ON the worker's own thread, e.g. through
/// `WorkerPool.onEachWorker`, around the counted repetition; then `totals(group:)` sums the
/// counts over workers. `count(group:onEachWorker:_:)` does all three.
///
/// ```swift
/// let plan = CounterPlan(events: EventProbe.defaultEvents)
/// let session = CounterSession(plan: plan, workers: pool.threadCount)
/// for group in plan.groups.indices {
///   let counts = session.count(group: group, onEachWorker: pool.onEachWorker) {
///     for _ in 0..<iters { kernel.run(src, dst) }
///   }
///   // counts[event]?.perIteration(iters) -> the ctr_<EVENT> cell
/// }
/// ```
///
/// Worker slots are independent (`Mutex` each), so workers never wait for one another. If a
/// worker index runs on a different thread than before (e.g. worker 0 called from another
/// thread), new sets are made for that thread; sets made by other threads are kept and
/// destroyed only by `release(worker:)` on their own thread.
public final class CounterSession: Sendable {
  /// The plan whose groups this session counts.
  public let plan: CounterPlan
  /// Number of workers (valid `worker` indices are `0..<workers`).
  public let workers: Int

  /// The backend of each group, parallel to `plan.groups`.
  private let backends: [any EventSetBackend]
  private let slots: [SlotBox]

  /// A session for `plan` on `workers` threads (at least 1). Each group is counted by its
  /// `plan.groupSources` entry: PAPI event sets (multiplexed when `plan.isMultiplexed`), or
  /// `perf_event_open` groups for perf software events PAPI cannot reach here.
  public convenience init(plan: CounterPlan, workers: Int) {
    let papi = PAPIBackend(multiplexed: plan.isMultiplexed)
    let perf = PerfEventBackend()
    self.init(
      plan: plan, workers: workers,
      backends: plan.groupSources.map { source -> any EventSetBackend in
        source == .perfEventOpen ? perf : papi
      })
  }

  /// A session counting every group through `backend` (tests).
  package convenience init(plan: CounterPlan, workers: Int, backend: any EventSetBackend) {
    self.init(
      plan: plan, workers: workers,
      backends: Array(repeating: backend, count: plan.groups.count))
  }

  /// A session counting group `g` through `backends[g]`.
  package init(plan: CounterPlan, workers: Int, backends: [any EventSetBackend]) {
    precondition(workers >= 1, "a counter session needs at least one worker")
    precondition(backends.count == plan.groups.count, "one backend per group")
    self.plan = plan
    self.workers = workers
    self.backends = backends
    self.slots = (0..<workers).map { _ in SlotBox(groups: plan.groups.count) }
  }

  /// Starts counting `group` on the calling thread, which must be worker `worker`'s thread.
  /// Creates the worker's event set for this thread on first use (`PAPI_create_eventset`,
  /// `PAPI_add_event`; or `perf_event_open`), then `PAPI_start` (or RESET + ENABLE). Errors are kept and reported by `totals`.
  public func start(worker: Int, group: Int) {
    precondition(slots.indices.contains(worker), "worker \(worker) outside 0..<\(workers)")
    precondition(plan.groups.indices.contains(group), "group \(group) outside the plan")
    let thread = Self.currentThread()
    let events = plan.groups[group]
    let backend = backends[group]
    slots[worker].state.withLock { slot in
      slot.results[group] = nil
      let set: Result<Int32, PAPIError>
      if let existing = slot.sets[SetKey(thread: thread, group: group)] {
        set = existing
      } else {
        set = backend.create(events: events)
        slot.sets[SetKey(thread: thread, group: group)] = set
      }
      switch set.flatMap({ s in backend.start(s).map { s } }) {
      case .success: slot.running = Running(thread: thread, group: group)
      case .failure(let error): slot.results[group] = .failure(error)
      }
    }
  }

  /// Stops counting `group` on the calling thread (`PAPI_stop`, or DISABLE + read) and keeps the worker's counts
  /// for `totals`. Must run on the thread that called `start` for this worker.
  public func stop(worker: Int, group: Int) {
    precondition(slots.indices.contains(worker), "worker \(worker) outside 0..<\(workers)")
    let thread = Self.currentThread()
    let count = plan.groups[group].count
    slots[worker].state.withLock { slot in
      guard let running = slot.running, running.group == group else {
        if slot.results[group] == nil {
          slot.results[group] = .failure(
            PAPIError(
              code: 0, call: "CounterSession.stop", text: "worker \(worker) was not started"))
        }
        return
      }
      slot.running = nil
      guard running.thread == thread,
        case .success(let set) = slot.sets[SetKey(thread: thread, group: group)]
      else {
        slot.results[group] = .failure(
          PAPIError(
            code: 0, call: "CounterSession.stop",
            text: "worker \(worker) stopped on another thread than it started on"))
        return
      }
      slot.results[group] = backends[group].stop(set, count: count)
    }
  }

  /// The counts of `group`'s events from the last start/stop, summed over all workers. An
  /// event is `.unavailable` (never 0) if any worker failed, with that worker's PAPI error;
  /// events outside the group are absent.
  public func totals(group: Int) -> [String: CounterValue] {
    let events = plan.groups[group]
    var sums = [Int64](repeating: 0, count: events.count)
    for (worker, slot) in slots.enumerated() {
      let result = slot.state.withLock { $0.results[group] }
      switch result {
      case .some(.success(let values)):
        for index in events.indices { sums[index] &+= values[index] }
      case .some(.failure(let error)):
        let reason = "worker \(worker): \(error)"
        return Dictionary(uniqueKeysWithValues: events.map { ($0, .unavailable(reason: reason)) })
      case .none:
        let reason = "worker \(worker) was not started and stopped for group \(group)"
        return Dictionary(uniqueKeysWithValues: events.map { ($0, .unavailable(reason: reason)) })
      }
    }
    return Dictionary(uniqueKeysWithValues: zip(events, sums.map(CounterValue.value)))
  }

  /// Counts `group` around `body`: `onEachWorker { start }`, `body()`, `onEachWorker { stop }`,
  /// then `totals(group:)`. Pass `WorkerPool.onEachWorker` of the pool that runs the kernel.
  public func count(
    group: Int, onEachWorker: ((Int) -> Void) -> Void, _ body: () -> Void
  ) -> [String: CounterValue] {
    onEachWorker { start(worker: $0, group: group) }
    body()
    onEachWorker { stop(worker: $0, group: group) }
    return totals(group: group)
  }

  /// Every event of the plan: the value from its group's last count, or `.unavailable` with
  /// the probe's reason for events that are not measured. Groups not yet counted give
  /// `.unavailable`.
  public func allTotals() -> [String: CounterValue] {
    var values: [String: CounterValue] = [:]
    for group in plan.groups.indices {
      values.merge(totals(group: group)) { a, _ in a }
    }
    for record in plan.measurements where record.method == .unavailable {
      values[record.event] = .unavailable(reason: record.reason ?? "unavailable")
    }
    return values
  }

  /// Destroys the event sets worker `worker` created on the calling thread
  /// (`PAPI_cleanup_eventset`, `PAPI_destroy_eventset`; `close` for `perf_event_open` ones). Call through `onEachWorker` when done;
  /// without it the sets live until the process exits (a few KB each).
  public func release(worker: Int) {
    let thread = Self.currentThread()
    slots[worker].state.withLock { slot in
      for (key, set) in slot.sets where key.thread == thread {
        if case .success(let s) = set { backends[key.group].destroy(s) }
        slot.sets[key] = nil
      }
    }
  }

  private static func currentThread() -> UInt { UInt(pthread_self()) }
}

/// One worker's state behind its own lock (an array cannot hold `Mutex` values directly).
private final class SlotBox: Sendable {
  let state: Mutex<WorkerSlot>
  init(groups: Int) { state = Mutex(WorkerSlot(groups: groups)) }
}

private struct SetKey: Hashable {
  let thread: UInt
  let group: Int
}

private struct Running {
  let thread: UInt
  let group: Int
}

private struct WorkerSlot {
  var sets: [SetKey: Result<Int32, PAPIError>] = [:]
  var running: Running?
  var results: [Result<[Int64], PAPIError>?]

  init(groups: Int) { results = Array(repeating: nil, count: groups) }
}
