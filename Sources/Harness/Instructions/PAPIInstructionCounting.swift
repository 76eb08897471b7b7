import ConvKernels
import Counters

/// Counts instructions with the hardware counter `PAPI_TOT_INS` (user mode, the calling
/// thread): the median of five counted calls, so that an interrupt landing in one call does
/// not decide the count. Start and stop add a constant few hundred instructions on both sides
/// of a comparison.
public final class PAPIInstructionCounting: InstructionCounting {
  public let source = "PAPI_TOT_INS"
  private let counting: PAPICaseCounting
  private let pool = WorkerPool.with(threads: 1)

  /// Nil when `PAPI_TOT_INS` cannot be counted here (not built with PAPI, no such event, or a
  /// probe count that gives nothing); `reason` then says why.
  public static func available() -> (counting: PAPIInstructionCounting?, reason: String) {
    let event = "PAPI_TOT_INS"
    let plan = CounterPlan(events: [event])
    guard !plan.groups.isEmpty else {
      let why = plan.measurements.first?.reason ?? "not countable"
      return (nil, "\(event) cannot be counted here (\(why))")
    }
    let counting = PAPIInstructionCounting(counting: PAPICaseCounting(plan: plan))
    let probe = counting.counting.session(for: counting.pool).count(
      group: 0, onEachWorker: counting.pool.onEachWorker, {})
    guard case .value(let value)? = probe[event], value > 0 else {
      return (nil, "\(event) was accepted but counted nothing here")
    }
    return (counting, "")
  }

  private init(counting: PAPICaseCounting) { self.counting = counting }

  public func count(_ kernel: TimedKernel) throws(InstructionCountError) -> Double {
    var counts: [Double] = []
    for _ in 0..<5 {
      let values = counting.count(kernel, pool: pool, iterations: 1)
      guard let value = values["PAPI_TOT_INS"] ?? nil else {
        throw InstructionCountError("PAPI_TOT_INS gave no value for a counted call")
      }
      counts.append(value)
    }
    return counts.sorted()[counts.count / 2]
  }
}
