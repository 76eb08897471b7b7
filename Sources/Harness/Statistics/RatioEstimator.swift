import ConvKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The ratio of median times HEAD/BASE of one case, with a confidence interval that sees the
/// spread between processes.
///
/// Samples come in blocks: the samples of one process run of one build. Within a process a
/// case's times are stable; between processes they move by a few per cent, and now and then a
/// process runs a case 5 to 30 % off (`NOISE.md`: run medians move by a median 3.5 %, 11 % at
/// worst). An interval built from the samples of one process each cannot see that, so:
/// - **Paired blocks** (taken alternately, block i of BASE beside block i of HEAD, at least
///   `minimumPairs`): the log ratio of the block medians `d_i = ln med(HEAD_i) - ln med(BASE_i)`
///   cancels the drift the two processes of a pair share. The estimate is the Hodges-Lehmann
///   pseudo-median of the `d_i` (the median of all pairwise means), which one disturbed block
///   barely moves. The interval is `HL ± t(k-1) · 1.023 · s / sqrt(k)` with the robust scale
///   `s = 1.4826 · MAD(d)` (at least `minimumSpread`, and at least half the standard deviation
///   of the `d_i`, see `bimodalityGuard`): the HL estimator's standard error under
///   normal noise (its efficiency is 0.955), scaled by a spread that the disturbed blocks do
///   not inflate. In the seeded noise model of the tests this interval flags more true 10 %
///   slowdowns than a block bootstrap or the Wilcoxon signed-rank interval at the same
///   false-alarm rate.
/// - **Otherwise** (unpaired, or too few pairs): the log ratio of the pooled medians, with a
///   hierarchical percentile bootstrap: resample blocks with replacement, then samples within
///   each chosen block, `resamples` times. With one block per side it cannot see the spread
///   between processes, which is why unpaired comparisons use a wider band.
/// Every random draw comes from a seeded generator: the same data give the same interval.
public struct RatioEstimator: Sendable {
  /// Two-sided confidence level of the interval (default 0.99).
  public var level: Double
  /// Bootstrap resamples (default 2000).
  public var resamples: Int
  /// Fewest pairs for the paired interval (default 8: the MAD of fewer block ratios is too
  /// unstable a scale); fewer pairs are pooled.
  public var minimumPairs: Int
  /// Lower bound of the robust spread `s` of the block log ratios (default 0.005): a MAD of
  /// zero (ties) must not give an interval of zero width.
  public var minimumSpread: Double
  /// `s` is at least this fraction of the standard deviation of the block log ratios
  /// (default 0.4). Some kernels run at one of two speeds for a whole process (2x apart for
  /// `dw.simd8.nchw` on a Zen 3 guest): when most pairs agree the MAD is near zero while a
  /// few pairs differ by 70 %, and only the standard deviation sees them. On noise without
  /// such modes the MAD is the larger (for normal noise it equals the standard deviation).
  public var bimodalityGuard: Double

  public init(
    level: Double = 0.99, resamples: Int = 2000, minimumPairs: Int = 8,
    minimumSpread: Double = 0.005, bimodalityGuard: Double = 0.4
  ) {
    self.level = level
    self.resamples = resamples
    self.minimumPairs = minimumPairs
    self.minimumSpread = minimumSpread
    self.bimodalityGuard = bimodalityGuard
  }

  /// Estimates HEAD/BASE from `base` and `head` blocks of per-iteration times. `paired` needs
  /// the same number (at least `minimumPairs`) of blocks on each side; otherwise the blocks
  /// are pooled. Every block must be non-empty.
  public func estimate(
    base: [[Double]], head: [[Double]], paired requested: Bool, seed: UInt64
  ) -> RatioEstimate {
    precondition(!base.isEmpty && !head.isEmpty, "each side needs a block")
    precondition(base.allSatisfy { !$0.isEmpty } && head.allSatisfy { !$0.isEmpty })
    let paired = requested && base.count == head.count && base.count >= minimumPairs
    let (point, low, high) =
      paired ? pairedInterval(base: base, head: head) : bootstrapInterval(base, head, seed)
    let pooledBase = base.flatMap { $0 }
    let pooledHead = head.flatMap { $0 }
    return RatioEstimate(
      ratio: exp(point), low: exp(low), high: exp(high), level: level, paired: paired,
      baseSamples: pooledBase.count, headSamples: pooledHead.count,
      blocks: paired ? base.count : min(base.count, head.count),
      baseMedian: Self.median(pooledBase), headMedian: Self.median(pooledHead),
      pValue: MannWhitney.pValue(pooledBase, pooledHead))
  }

  /// The paired estimate and interval, in log space.
  private func pairedInterval(base: [[Double]], head: [[Double]])
    -> (Double, Double, Double)
  {
    let d = zip(base, head).map { log(Self.median($1)) - log(Self.median($0)) }
    let point = Self.hodgesLehmann(d)
    let centre = Self.median(d)
    let mad = 1.4826 * Self.median(d.map { abs($0 - centre) })
    let mean = d.reduce(0, +) / Double(d.count)
    let sd = (d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d.count - 1)).squareRoot()
    let spread = max(minimumSpread, mad, bimodalityGuard * sd)
    let standardError = 1.023 * spread / Double(d.count).squareRoot()
    let t = StudentT.quantile((1 + level) / 2, degrees: d.count - 1)
    return (point, point - t * standardError, point + t * standardError)
  }

  /// The pooled estimate and its hierarchical bootstrap interval, in log space.
  private func bootstrapInterval(_ base: [[Double]], _ head: [[Double]], _ seed: UInt64)
    -> (Double, Double, Double)
  {
    var generator = SplitMix64(seed: seed)
    var scratch: [Double] = []
    let point = log(Self.median(head.flatMap { $0 })) - log(Self.median(base.flatMap { $0 }))
    var draws: [Double] = []
    draws.reserveCapacity(resamples)
    for _ in 0..<resamples {
      let h = Self.resampledPooledMedian(head, &generator, &scratch)
      let b = Self.resampledPooledMedian(base, &generator, &scratch)
      draws.append(log(h) - log(b))
    }
    draws.sort()
    let tail = (1 - level) / 2
    return (
      point, SampleStatistics.quantile(draws, tail), SampleStatistics.quantile(draws, 1 - tail)
    )
  }

  /// The Hodges-Lehmann estimate of location: the median of all pairwise means
  /// `(x_i + x_j) / 2`, i <= j.
  public static func hodgesLehmann(_ values: [Double]) -> Double {
    var means: [Double] = []
    means.reserveCapacity(values.count * (values.count + 1) / 2)
    for i in values.indices {
      for j in i..<values.count { means.append((values[i] + values[j]) / 2) }
    }
    return median(means)
  }

  /// The median of `values` (the mean of the middle two for an even count).
  public static func median(_ values: [Double]) -> Double {
    SampleStatistics.quantile(values.sorted(), 0.5)
  }

  private static func resampledPooledMedian(
    _ blocks: [[Double]], _ generator: inout SplitMix64, _ scratch: inout [Double]
  ) -> Double {
    scratch.removeAll(keepingCapacity: true)
    for _ in blocks.indices {
      let block = blocks[blocks.count == 1 ? 0 : Int(generator.next() % UInt64(blocks.count))]
      for _ in block.indices {
        scratch.append(block[Int(generator.next() % UInt64(block.count))])
      }
    }
    scratch.sort()
    return SampleStatistics.quantile(scratch, 0.5)
  }
}
