import ConvKernels
import Harness
import Testing

/// A kernel that does nothing: its samples are as short as the clock allows.
private final class Idle: PreparedKernel {
  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {}
}

@Suite struct PairedPeakTests {
  /// Kernel: 1000 flops in 100, 200 and 400 ns (10, 5 and 2.5 GFLOP/s) in rounds 0 to 2.
  /// Probe: 20000 flops in 1000, 1000, 2000 and 500 ns (20, 20, 10 and 40 GFLOP/s) in rounds 0
  /// to 3. Rounds 0 to 2 pair: 50 %, 25 % and 25 % of peaks 20, 20 and 10.
  @Test func eachSampleIsSetAgainstThePeakOfItsOwnRound() {
    let kernel = Timing(iterations: 1, samples: [100, 200, 400], rounds: [0, 1, 2])
    let probe = Timing(iterations: 1, samples: [1000, 1000, 2000, 500], rounds: [0, 1, 2, 3])
    let paired = PairedPeak.estimate(kernel: kernel, flops: 1000, probe: probe, probeFlops: 20000)
    #expect(paired == PairedPeak(peakGFLOPS: 20, percent: 25))
  }

  /// A kernel sampled in rounds 0 and 3 only (a budget-limited one) pairs with those two probe
  /// samples: 10 of 20 and 20 of 40 GFLOP/s, 50 % both; the peak is the median of 20 and 40.
  @Test func aKernelWithFewerSamplesPairsOnlyItsOwnRounds() {
    let kernel = Timing(iterations: 1, samples: [100, 50], rounds: [0, 3])
    let probe = Timing(iterations: 1, samples: [1000, 1000, 2000, 500], rounds: [0, 1, 2, 3])
    let paired = PairedPeak.estimate(kernel: kernel, flops: 1000, probe: probe, probeFlops: 20000)
    #expect(paired == PairedPeak(peakGFLOPS: 30, percent: 50))
  }

  @Test func noSharedRoundOrNoWorkGivesNoEstimate() {
    let kernel = Timing(iterations: 1, samples: [100], rounds: [4])
    let probe = Timing(iterations: 1, samples: [1000, 1000], rounds: [0, 1])
    #expect(PairedPeak.estimate(kernel: kernel, flops: 1000, probe: probe, probeFlops: 1) == nil)
    let same = Timing(iterations: 1, samples: [100], rounds: [0])
    #expect(PairedPeak.estimate(kernel: same, flops: 0, probe: probe, probeFlops: 1) == nil)
  }
}

@Suite struct SampleRoundsTests {
  /// Every sample carries its round: a fast kernel samples in each of the 6 rounds, a
  /// 5 ms kernel that the 12 ms budget limits to 3 samples takes them in the spread rounds
  /// `Sampler.samples` picks.
  @Test func samplesCarryTheRoundTheyWereTakenIn() {
    let tensor = Tensor(shape: TensorShape(n: 1, c: 1, h: 1, w: 1), layout: .nhwc)
    let sampler = Sampler(
      minSampleNanoseconds: 1_000_000, repetitions: 6, caseBudgetNanoseconds: 12_000_000)
    let timings = sampler.sampleRoundRobin([
      TimedKernel(kernel: Idle(), src: tensor, dst: tensor),
      TimedKernel(kernel: Spinning(microseconds: 5_000), src: tensor, dst: tensor),
    ])
    #expect(timings[0].rounds == Array(0..<6))
    #expect(timings[0].samples.count == 6)
    #expect(timings[1].rounds == (0..<6).filter { Sampler.samples(3, inRound: $0, of: 6) })
    #expect(timings[1].samples.count == 3)
  }
}
