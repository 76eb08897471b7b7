import ConvKernels
import Counters
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

private func plan(_ events: [String]) -> CounterPlan {
  CounterPlan(
    events: events,
    availability: events.map {
      EventAvailability(event: $0, status: .available, papiError: nil, reason: "")
    },
    groups: [events], isMultiplexed: false, multiplexingNote: nil)
}

/// Counts a busy loop of `perThread` CPU ns on every thread of `pool` with `session`, and the
/// same threads' CPU time from getrusage(RUSAGE_THREAD) around it. RUSAGE_THREAD, not
/// RUSAGE_SELF: tests run in parallel, so process time would include other tests' work.
private func countBusyLoop(
  _ session: CounterSession, pool: WorkerPool, perThread: Int64
) -> (counts: [String: CounterValue], rusage: Int64) {
  let rusage = AtomicSum()
  pool.onEachWorker { _ in rusage.add(-threadRusageNanoseconds()) }
  let counts = session.count(group: 0, onEachWorker: pool.onEachWorker) {
    pool.run(tasks: pool.threadCount) { _ in burnCPU(nanoseconds: perThread) }
  }
  pool.onEachWorker { _ in rusage.add(threadRusageNanoseconds()) }
  return (counts, rusage.value)
}

/// A pool of the harness's kind, of its own: tests run in parallel, and a shared pool's
/// threads would also run other tests' work between the CPU-time reads.
private func pool(_ threads: Int) -> WorkerPool { WorkerPool(threads: threads) }

private let real = RealCounterPlans.shared

@Suite struct CounterSessionTests {
  @Test(
    .enabled(
      if: real.taskClockCounts, Comment(rawValue: RealCounterPlans.unavailable(real.taskClock))),
    arguments: [1, 2])
  func summedTaskClockMatchesRusage(threads: Int) throws {
    let pool = pool(threads)
    let session = CounterSession(plan: real.taskClock, workers: threads)
    _ = countBusyLoop(session, pool: pool, perThread: 1_000_000)  // creates the sets
    let (counts, rusage) = countBusyLoop(session, pool: pool, perThread: 200_000_000)
    let taskClock = try #require(counts["perf::TASK-CLOCK"]?.count)
    #expect(
      abs(Double(taskClock) - Double(rusage)) <= 0.1 * Double(rusage), "\(taskClock) vs \(rusage)")
    pool.onEachWorker { session.release(worker: $0) }
  }

  @Test(
    .enabled(
      if: real.pageFaultsCount, Comment(rawValue: RealCounterPlans.unavailable(real.pageFaults))))
  func pageFaultsRiseWhenTouchingFreshMemory() throws {
    let bytes = 64 << 20
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let memory = try #require(
      mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
    defer { munmap(memory, bytes) }
    let session = CounterSession(plan: real.pageFaults, workers: 1)
    let buffer = memory.assumingMemoryBound(to: UInt8.self)
    session.start(worker: 0, group: 0)
    for offset in stride(from: 0, to: bytes, by: page) { buffer[offset] = 1 }
    session.stop(worker: 0, group: 0)
    let faults = try #require(session.totals(group: 0)["perf::PAGE-FAULTS"]?.count)
    #expect(faults > Int64(bytes / page / 2))
    session.release(worker: 0)
  }

  @Test(arguments: [1, 2])
  func perWorkerSetsSumToThreadCPUTime(threads: Int) throws {
    let backend = ThreadClockBackend()
    let pool = pool(threads)
    let session = CounterSession(plan: plan(["clock"]), workers: threads, backend: backend)
    for _ in 0..<3 {
      let (counts, rusage) = countBusyLoop(session, pool: pool, perThread: 50_000_000)
      let clock = try #require(counts["clock"]?.count)
      #expect(abs(Double(clock) - Double(rusage)) <= 0.1 * Double(rusage), "\(clock) vs \(rusage)")
    }
    let state = backend.state.withLock { ($0.created, $0.wrongThreadCalls) }
    #expect(state.0 == threads, "one set per worker thread, reused over repetitions")
    #expect(state.1 == 0, "every start/stop ran on the thread that created the set")
    pool.onEachWorker { session.release(worker: $0) }
    #expect(backend.state.withLock { $0.sets.isEmpty && $0.wrongThreadCalls == 0 })
  }

  @Test func aFailingWorkerMakesTheTotalUnavailableNotZero() throws {
    let backend = ThreadClockBackend()
    let pool = pool(2)
    let session = CounterSession(plan: plan(["clock"]), workers: 2, backend: backend)
    pool.onEachWorker { worker in
      if worker == 1 { backend.failingThread.store(UInt(pthread_self()), ordering: .relaxed) }
    }
    let counts = session.count(group: 0, onEachWorker: pool.onEachWorker) {}
    guard case .unavailable(let reason)? = counts["clock"] else {
      Issue.record("expected unavailable, got \(String(describing: counts["clock"]))")
      return
    }
    #expect(reason.contains("worker 1") && reason.contains("Event does not exist"))
  }

  @Test func totalsBeforeAnyCountAreUnavailable() {
    let session = CounterSession(plan: plan(["clock"]), workers: 2, backend: ThreadClockBackend())
    #expect(session.totals(group: 0)["clock"]?.count == nil)
  }

  @Test func perIterationDividesAndUnavailableStaysNil() {
    #expect(CounterValue.value(300).perIteration(4) == 75)
    #expect(CounterValue.unavailable(reason: "x").perIteration(4) == nil)
    #expect(CounterValue.value(3).perIteration(0) == nil)
  }
}
