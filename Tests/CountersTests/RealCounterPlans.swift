import Counters

/// The real counter plans the tests' trait conditions ask about, made once and on one thread.
///
/// Swift Testing evaluates the `.enabled(if:)` conditions of every suite at discovery time, in
/// parallel. Were each plan a global of its own, several threads would probe PAPI at once during
/// discovery; one value made by one `swift_once` keeps that work sequential.
struct RealCounterPlans: Sendable {
  /// The plans as the harness makes them: through PAPI where its perf_event component works,
  /// else through the `perf_event_open` fallback.
  let taskClock: CounterPlan
  let pageFaults: CounterPlan
  let contextSwitches: CounterPlan
  /// The reason PAPI's perf_event component is disabled here, or nil (then PAPI counts the
  /// software events itself and the fallback is not used).
  let perfEventDisabled: String?

  static let shared = RealCounterPlans()

  private init() {
    perfEventDisabled = CounterEnvironment.current.perfEventDisabledReason
    taskClock = CounterPlan(events: ["perf::TASK-CLOCK"])
    pageFaults = CounterPlan(events: ["perf::PAGE-FAULTS"])
    contextSwitches = CounterPlan(events: ["perf::CONTEXT-SWITCHES", "perf::CONTEXT-SWITCHES:k=1"])
  }

  var taskClockCounts: Bool { taskClock.groups.count == 1 }
  var pageFaultsCount: Bool { pageFaults.groups.count == 1 }

  /// Why `plan`'s only event cannot be counted here, for a disabled test's comment.
  static func unavailable(_ plan: CounterPlan) -> String {
    "\(plan.events.joined(separator: ", ")) cannot be counted here, neither through PAPI nor "
      + "with perf_event_open: " + (plan.availability.first?.reason ?? "")
  }
}
