import ConvKernels
import Foundation

/// Whether a threaded variant should really fork on a given shape.
///
/// Handing tasks to a second thread and waiting for it costs a few microseconds on these
/// guests; on shapes whose whole run takes a few microseconds (the quick suite's depthwise
/// and pointwise parts) two threads then run slower than one. So, at set-up and outside the
/// timed samples, a variant on T > 1 threads is timed against the same family on one thread
/// on the very operands it will run on, alternately, and T threads are kept only when they
/// are at least `requiredGain` faster (closer races flip with noise between set-up and the
/// timed samples, and then two threads were timed slower than one). Both compute
/// every output the same way (splits never cut the reduction), so the choice cannot change a
/// result, only the time. Runs that take longer than `decidedAbove` on T threads keep them
/// without the race: there, fork-join costs under a percent.
package struct ThreadSplitChoice {
  /// Above this per-call time on T threads the race is not run.
  package static let decidedAbove: UInt64 = 200_000
  /// How much faster than one thread T threads must be at set-up to be kept (0.1: their
  /// median at most 90 % of one thread's).
  package static let requiredGain = 0.1
  /// Rounds of the race (one timing of each kernel per round, medians compared).
  package static let rounds = 9
  /// Shortest timing of one kernel in a round.
  static let minimumTiming: UInt64 = 20_000

  /// The outcome for one variant on one shape.
  package struct Outcome {
    /// The kernel to time: the one given, or the family's one-thread kernel.
    package let kernel: any PreparedKernel
    /// Set when one thread won: what the row's note says.
    package let note: String?
  }

  /// Races `threaded` (the variant's own kernel) against `single` (the same family on one
  /// thread, already checked on this shape; nil when it may not stand in) on `src`/`dst`;
  /// `single` is called only when the race is run.
  package static func choose(
    threaded: any PreparedKernel, threads: Int, single: () -> (any PreparedKernel)?,
    src: Tensor, dst: Tensor
  ) -> Outcome {
    let many = TimedKernel(kernel: threaded, src: src, dst: dst)
    many.run(iterations: 1)
    // The fastest of a few calls: one call that the hypervisor preempted (steal) must not
    // look long enough to skip the race.
    let once = (0..<3).map { _ in time(many, iterations: 1) }.min()!
    guard once < decidedAbove, let singleKernel = single() else {
      return Outcome(kernel: threaded, note: nil)
    }
    let one = TimedKernel(kernel: singleKernel, src: src, dst: dst)
    one.run(iterations: 1)
    let iterations = Int(max(1, minimumTiming / max(once, 1)))
    var manyTimes: [Double] = []
    var oneTimes: [Double] = []
    for round in 0..<rounds {
      // Which goes first alternates, so a drift within the round favours neither.
      if round % 2 == 0 {
        manyTimes.append(Double(time(many, iterations: iterations)) / Double(iterations))
        oneTimes.append(Double(time(one, iterations: iterations)) / Double(iterations))
      } else {
        oneTimes.append(Double(time(one, iterations: iterations)) / Double(iterations))
        manyTimes.append(Double(time(many, iterations: iterations)) / Double(iterations))
      }
    }
    let manyMedian = median(manyTimes)
    let oneMedian = median(oneTimes)
    guard manyMedian > oneMedian * (1 - requiredGain) else {
      return Outcome(kernel: threaded, note: nil)
    }
    return Outcome(
      kernel: one.kernel,
      note: "ran on 1 thread: \(threads) threads were not \(Int(requiredGain * 100)) % faster "
        + "on this shape at set-up (\(microseconds(oneMedian)) µs on 1, "
        + "\(microseconds(manyMedian)) on \(threads), medians of \(rounds))")
  }

  private static func time(_ kernel: TimedKernel, iterations: Int) -> UInt64 {
    let start = MonotonicClock.now()
    kernel.run(iterations: iterations)
    return MonotonicClock.now() - start
  }

  private static func median(_ values: [Double]) -> Double {
    values.sorted()[values.count / 2]
  }

  private static func microseconds(_ nanoseconds: Double) -> String {
    String(format: "%.2f", nanoseconds / 1000)
  }
}
