import ConvKernels

/// A prepared kernel with the operands it runs on.
public struct TimedKernel {
  public let kernel: any PreparedKernel
  public let src: Tensor
  public let dst: Tensor

  public init(kernel: any PreparedKernel, src: Tensor, dst: Tensor) {
    self.kernel = kernel
    self.src = src
    self.dst = dst
  }

  /// Runs the kernel `iterations` times; the loop the clock reads around.
  @inline(__always)
  public func run(iterations: Int) {
    let src = UnsafePointer(self.src.pointer)
    let dst = self.dst.pointer
    for _ in 0..<iterations { kernel.run(src, dst) }
  }
}

/// Per-kernel timing: iterations per sample and the per-iteration time of each sample.
public struct Timing: Sendable {
  public let iterations: Int
  public let samples: [Double]
  /// The round-robin round of each sample (`samples[i]` was taken in round `rounds[i]`), so
  /// samples of different kernels taken side by side can be paired.
  public let rounds: [Int]

  /// A timing of `samples` (nanoseconds per iteration, `iterations` per sample) taken in
  /// `rounds` (one round number per sample).
  public init(iterations: Int, samples: [Double], rounds: [Int]) {
    precondition(samples.count == rounds.count, "one round per sample")
    self.iterations = iterations
    self.samples = samples
    self.rounds = rounds
  }
}

/// Times kernels: warm-up, an iteration count that makes one sample last at least
/// `minSampleNanoseconds`, then samples taken round-robin across kernels.
public struct Sampler: Sendable {
  public let minSampleNanoseconds: UInt64
  public let repetitions: Int
  public let caseBudgetNanoseconds: UInt64

  public init(minSampleNanoseconds: UInt64, repetitions: Int, caseBudgetNanoseconds: UInt64) {
    self.minSampleNanoseconds = minSampleNanoseconds
    self.repetitions = repetitions
    self.caseBudgetNanoseconds = caseBudgetNanoseconds
  }

  /// Iterations per sample and samples per kernel for a kernel taking `iterationTime` ns.
  public func schedule(iterationTime: UInt64) -> (iterations: Int, repetitions: Int) {
    let perIteration = max(iterationTime, 1)
    let iterations = Int(max(1, (minSampleNanoseconds + perIteration - 1) / perIteration))
    let sampleTime = UInt64(iterations) * perIteration
    let affordable = Int(min(UInt64(Int.max), caseBudgetNanoseconds / sampleTime))
    return (iterations, min(repetitions, max(3, affordable)))
  }

  /// Warms each kernel up, schedules it, then takes samples round-robin: every round takes one
  /// sample of each kernel, except that a kernel given fewer repetitions than there are rounds
  /// (by the time budget) takes its samples in rounds spread evenly over the whole run, so its
  /// samples too sit beside its contenders'. `afterSample` runs after every timed sample,
  /// outside the clock: `ab` hands the CPU to the other build there (`TurnTaking`). With
  /// `warmEachSample`, one untimed call precedes every timed sample, so a sample does not pay
  /// for refilling the caches that the other build's sample just used.
  public func sampleRoundRobin(
    _ kernels: [TimedKernel], warmEachSample: Bool = false, afterSample: () -> Void = {}
  ) -> [Timing] {
    let schedules = kernels.map { schedule(iterationTime: warmUp($0)) }
    var samples = [[Double]](repeating: [], count: kernels.count)
    var sampleRounds = [[Int]](repeating: [], count: kernels.count)
    let rounds = schedules.map(\.repetitions).max() ?? 0
    for round in 0..<rounds {
      for (index, kernel) in kernels.enumerated()
      where Self.samples(schedules[index].repetitions, inRound: round, of: rounds) {
        let iterations = schedules[index].iterations
        if warmEachSample { kernel.run(iterations: 1) }
        let start = MonotonicClock.now()
        kernel.run(iterations: iterations)
        let end = MonotonicClock.now()
        samples[index].append(Double(end - start) / Double(iterations))
        sampleRounds[index].append(round)
        afterSample()
      }
    }
    return schedules.indices.map {
      Timing(iterations: schedules[$0].iterations, samples: samples[$0], rounds: sampleRounds[$0])
    }
  }

  /// Whether a kernel with `repetitions` samples takes one in `round` of `rounds`: exactly
  /// `repetitions` of the rounds say yes, evenly spaced, the first and the last among them.
  public static func samples(_ repetitions: Int, inRound round: Int, of rounds: Int) -> Bool {
    guard repetitions < rounds else { return true }
    guard repetitions > 1 else { return round == 0 }
    // Round r is the k-th chosen one when r == round(k * (rounds - 1) / (repetitions - 1)).
    let k = (round * (repetitions - 1) + (rounds - 1) / 2) / (rounds - 1)
    return (k * (rounds - 1) * 2 + (repetitions - 1)) / (2 * (repetitions - 1)) == round
  }

  /// Runs `kernel` until `minSampleNanoseconds` have passed (at least once) and returns the
  /// fastest single iteration seen, in nanoseconds.
  func warmUp(_ kernel: TimedKernel) -> UInt64 {
    var fastest = UInt64.max
    var elapsed: UInt64 = 0
    repeat {
      let start = MonotonicClock.now()
      kernel.run(iterations: 1)
      let time = MonotonicClock.now() - start
      fastest = min(fastest, time)
      elapsed += time
    } while elapsed < minSampleNanoseconds
    return fastest
  }
}
