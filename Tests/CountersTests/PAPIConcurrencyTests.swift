import Counters
import Foundation
import Synchronization
import Testing

/// Runs `body(index)` on `threads` new threads that start together, and waits for all of them.
/// Real threads, not tasks: the cooperative pool is as wide as the machine (2 here), which would
/// let only two callers meet inside PAPI at once.
private func onThreadsAtOnce(_ threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
  let arrived = Atomic<Int>(0)
  let done = DispatchGroup()
  for index in 0..<threads {
    done.enter()
    let thread = Thread {
      arrived.add(1, ordering: .acquiringAndReleasing)
      while arrived.load(ordering: .acquiring) < threads {}  // a barrier: all call PAPI together
      body(index)
      done.leave()
    }
    thread.stackSize = 1 << 20
    thread.start()
  }
  done.wait()
}

/// Names that exercise every lookup path: presets, perf software events with and without
/// qualifiers, a misspelt name and a native name of no component.
private let mixedNames = [
  "PAPI_TOT_CYC", "PAPI_TOT_INS", "perf::TASK-CLOCK", "perf::PAGE-FAULTS",
  "perf::CONTEXT-SWITCHES:k=1", "perf::CPU-MIGRATIONS:k=1", "PAPI_NOT_AN_EVENT",
  "perf::NO-SUCH-EVENT", "no_such_pmu::CYCLES",
]

extension Result {
  fileprivate var isFound: Bool {
    if case .success = self { return true }
    return false
  }
}

@Suite struct PAPIConcurrencyTests {
  /// PAPI crashed (SIGSEGV in `PAPI_event_name_to_code`) when threads looked up `perf::` names
  /// at once on machines whose perf_event component is enabled. A crash ends the test process,
  /// so passing means the lock holds; the answers must also agree with a single-threaded probe.
  @Test func sixteenThreadsProbeAndCountAtOnceAndAgreeWithOneThread() throws {
    let expected = EventProbe.probe(mixedNames).map(\.status)
    let disagreements = Mutex<[String]>([])
    let counted = Atomic<Int>(0)
    let plan = RealCounterPlans.shared.taskClock
    for round in 0..<5 {
      onThreadsAtOnce(16) { index in
        let names = Array(mixedNames.shuffled().prefix(3 + index % 6))
        for probe in EventProbe.probe(names) {
          let want = expected[mixedNames.firstIndex(of: probe.event)!]
          if probe.status != want {
            disagreements.withLock {
              $0.append("round \(round), thread \(index): \(probe.event) \(probe.status)")
            }
          }
        }
        // A name no thread asked for before: a real PAPI lookup on a thread new to PAPI.
        let fresh = "perf::NO-SUCH-EVENT-\(round)-\(index)"
        if EventProbe.probe(fresh).isAvailable {
          disagreements.withLock { $0.append("\(fresh) resolved") }
        }
        _ = CounterPlan(events: [names[0], "perf::TASK-CLOCK"])
        guard plan.groups.count == 1 else { return }
        let session = CounterSession(plan: plan, workers: 1)
        let counts = session.count(group: 0, onEachWorker: { $0(0) }) {
          burnCPU(nanoseconds: 200_000)
        }
        session.release(worker: 0)
        if counts["perf::TASK-CLOCK"]?.count ?? 0 > 0 { counted.add(1, ordering: .relaxed) }
      }
    }
    #expect(disagreements.withLock { $0 } == [])
    if RealCounterPlans.shared.taskClockCounts {
      #expect(counted.load(ordering: .relaxed) == 5 * 16, "every thread counted its own time")
    }
  }

  #if PAPI
    /// PAPI 7.0 writes through the calling thread's PAPI record while it resolves a native
    /// name; on a thread that never made an event set that record was NULL, a SIGSEGV wherever
    /// the perf_event component is enabled. The first lookup of each name here runs on a thread
    /// new to PAPI.
    @Test func aThreadNewToPAPILooksUpNamesNoOneHasAskedFor() {
      // Names no other test asks for, so the cache cannot answer instead of PAPI.
      let names = [
        "perf::TASK-CLOCK:u=1:k=0", "perf::PAGE-FAULTS:u=1:k=0", "PAPI_TOT_CYC_X",
        "perf::NO-SUCH-EVENT-NEW-THREAD",
      ]
      let answers = Mutex<[String: Bool]>([:])
      onThreadsAtOnce(1) { _ in
        for name in names {
          let found = PAPICalls.eventCode(name).isFound
          answers.withLock { $0[name] = found }
        }
      }
      #expect(answers.withLock { $0.count } == names.count)
      #expect(names.allSatisfy { PAPICalls.lookupCount($0) == 1 }, "each a real PAPI lookup")
      #expect(answers.withLock { $0["PAPI_TOT_CYC_X"] } == false)
    }

    @Test func eachNameIsLookedUpInPAPIOnce() {
      let name = "perf::CPU-MIGRATIONS:u=1"
      let first = PAPICalls.eventCode(name)
      onThreadsAtOnce(16) { _ in _ = PAPICalls.eventCode(name) }
      #expect(PAPICalls.lookupCount(name) == 1, "later lookups come from the cache")
      #expect(
        (try? PAPICalls.eventCode(name).get()) == (try? first.get()), "the same answer again")
    }
  #endif
}
