import ConvKernels
import Counters
import Synchronization

/// Counts a kernel's events through PAPI on repetitions of their own: for each event group of
/// the plan, one untimed repetition of `iterations` runs with every worker of the kernel's
/// pool counting its own thread (`WorkerPool.onEachWorker`), then the sums per iteration.
public final class PAPICaseCounting: CaseCounting {
  public let plan: CounterPlan
  private let sessions = Mutex<[ObjectIdentifier: CounterSession]>([:])

  public init(plan: CounterPlan) { self.plan = plan }

  public func count(_ kernel: TimedKernel, pool: WorkerPool, iterations: Int) -> [String: Double?] {
    let session = self.session(for: pool)
    var values: [String: Double?] = Dictionary(uniqueKeysWithValues: plan.events.map { ($0, nil) })
    for group in plan.groups.indices {
      let totals = session.count(group: group, onEachWorker: pool.onEachWorker) {
        kernel.run(iterations: iterations)
      }
      for (event, value) in totals { values[event] = value.perIteration(iterations) }
    }
    return values
  }

  /// One session per pool: its event sets live on that pool's threads and are reused.
  func session(for pool: WorkerPool) -> CounterSession {
    sessions.withLock { sessions in
      let key = ObjectIdentifier(pool)
      if let session = sessions[key] { return session }
      let session = CounterSession(plan: plan, workers: pool.threadCount)
      sessions[key] = session
      return session
    }
  }
}

extension CaseResult {
  /// Derived metrics (IPC, instructions per MAC, misses per 1000 MACs, FP-op reconciliation,
  /// achieved GHz) from this row's counters at its median time; every value nil when an input
  /// is missing.
  public var derivedMetrics: [(name: String, value: Double?)] {
    let available = counters.compactMapValues { $0 }
    return DerivedMetrics(
      counters: available, macs: Double(cost.macs), flops: Double(cost.flops),
      timeNanoseconds: statistics?.median ?? 0, threads: threads
    ).columns
  }

  /// Names of the derived-metric columns, in order.
  public static var derivedMetricNames: [String] {
    DerivedMetrics(counters: [:], macs: 0, flops: 0, timeNanoseconds: 0).columns.map(\.name)
  }

  /// The CSV column of a counter event (`ctr_<EVENT>`, see `CounterColumn`).
  public static func counterColumn(_ event: String) -> String { CounterColumn.name(for: event) }
}
