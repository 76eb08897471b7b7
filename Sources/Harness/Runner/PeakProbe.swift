import ConvKernels
import KernelCatalog

/// The FMA peak measured beside a suite case's kernels: the calibration's FMA loop, timed as
/// one more contender of the case's round-robin, so that each sample of a kernel has a peak
/// sample taken in the same round.
///
/// The machine's speed is not a constant. On a shared host the FMA throughput a vCPU gets
/// moves by tens of percent from one second to the next (another guest on the sibling
/// hyperthread, frequency), so a peak measured once at the start of a run can be far from the
/// peak in force while a kernel ran. `pct_peak_flops` divides by that start-of-run peak;
/// `pct_paired_peak_flops` divides each sample by the peak of its own round.
public final class PeakProbe: PreparedKernel {
  /// Floating-point operations of one `run`, over all threads.
  public let flopsPerRun: Double
  private let loops: CeilingLoops
  private let pool: WorkerPool
  private let iterations: Int
  private var results: [Float]
  /// The loop's results, kept so the loop is not optimised away.
  private var sink: Float = 0

  /// The ISA of the loop it times. Rows of two ISAs that run the same loop (generic and AVX2
  /// rows on the 8-wide one) share one probe.
  public var isa: ISA { loops.isa }

  /// A probe running `iterations` rounds of `loops.fma` on every worker of `pool` per call.
  public init(loops: CeilingLoops, pool: WorkerPool, iterations: Int = 400_000) {
    self.loops = loops
    self.pool = pool
    self.iterations = iterations
    results = [Float](repeating: 0, count: pool.threadCount)
    flopsPerRun = Double(iterations * loops.flopsPerRound * pool.threadCount)
  }

  /// The probe for rows of `isa` on `pool`: the loops of that vector width (generic and AVX2
  /// rows share the 8-wide loop, as their `pct_peak_flops` shares the 8-wide peak); nil when
  /// this CPU runs no such loop.
  public static func matching(isa: ISA, pool: WorkerPool) -> PeakProbe? {
    guard let narrow = try? CeilingLoops.current.get() else { return nil }
    let loops =
      isa == narrow.isa || isa == .generic
      ? narrow : CeilingLoops.wider.first { $0.isa == isa }
    return loops.map { PeakProbe(loops: $0, pool: pool) }
  }

  /// Runs the FMA loop once on every worker; `src` and `dst` are not touched.
  public func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let loops = self.loops
    let iterations = self.iterations
    results.withUnsafeMutableBufferPointer { out in
      pool.onEachWorker { worker in out[worker] = loops.fma(iterations, 0.5, 0.25) }
    }
    sink += results.reduce(0, +)
  }
}

/// A kernel's samples set against the peak probe's samples of the same rounds.
public struct PairedPeak: Sendable, Equatable {
  /// Median over the paired rounds of the probe's GFLOP/s.
  public let peakGFLOPS: Double
  /// Median over the paired rounds of `100 * kernel GFLOP/s / probe GFLOP/s`.
  public let percent: Double

  /// An estimate with these medians (`estimate` computes them from samples).
  public init(peakGFLOPS: Double, percent: Double) {
    self.peakGFLOPS = peakGFLOPS
    self.percent = percent
  }

  /// Pairs each kernel sample with the probe sample of its round. Samples are nanoseconds per
  /// iteration (`Timing.samples`), rounds their round numbers (`Timing.rounds`); `flops` is
  /// the kernel's work per iteration and `probeFlops` the probe's. Nil when no round holds both
  /// or the kernel does no floating-point work.
  public static func estimate(
    kernel: Timing, flops: Double, probe: Timing, probeFlops: Double
  ) -> PairedPeak? {
    guard flops > 0, probeFlops > 0 else { return nil }
    var probeByRound: [Int: Double] = [:]
    for (round, sample) in zip(probe.rounds, probe.samples) { probeByRound[round] = sample }
    var peaks: [Double] = []
    var shares: [Double] = []
    for (round, sample) in zip(kernel.rounds, kernel.samples) {
      guard let probeSample = probeByRound[round], sample > 0, probeSample > 0 else { continue }
      let peak = probeFlops / probeSample
      peaks.append(peak)
      shares.append(100 * (flops / sample) / peak)
    }
    guard !peaks.isEmpty else { return nil }
    return PairedPeak(
      peakGFLOPS: RatioEstimator.median(peaks), percent: RatioEstimator.median(shares))
  }
}
