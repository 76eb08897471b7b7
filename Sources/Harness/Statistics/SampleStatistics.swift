/// Order statistics and moments of a set of timing samples (nanoseconds per iteration).
public struct SampleStatistics: Hashable, Sendable, Codable {
  public let count: Int
  public let min: Double
  public let median: Double
  public let mean: Double
  /// 90th percentile (linear interpolation between order statistics).
  public let p90: Double
  /// Sample standard deviation (n - 1 in the denominator; 0 for one sample).
  public let standardDeviation: Double
  /// Distribution-free 95% confidence interval of the median, from the order statistics at
  /// 1-based ranks `floor(n/2 - 0.98 * sqrt(n))` and `ceil(n/2 + 1 + 0.98 * sqrt(n))` (normal
  /// approximation to the binomial), clamped to the sample; with 7 or fewer samples it is the
  /// full sample range.
  public let medianLow: Double
  public let medianHigh: Double

  /// Statistics of `samples` (at least one).
  public init(_ samples: [Double]) {
    precondition(!samples.isEmpty, "statistics of no samples")
    let sorted = samples.sorted()
    count = sorted.count
    min = sorted[0]
    median = Self.quantile(sorted, 0.5)
    let average = sorted.reduce(0, +) / Double(count)
    mean = average
    p90 = Self.quantile(sorted, 0.9)
    if count > 1 {
      let squares = sorted.reduce(0) { $0 + ($1 - average) * ($1 - average) }
      standardDeviation = (squares / Double(count - 1)).squareRoot()
    } else {
      standardDeviation = 0
    }
    let half = 0.98 * Double(count).squareRoot()
    // 1-based ranks floor(n/2 - half) and ceil(n/2 + 1 + half), as 0-based indices.
    let low = Int((Double(count) / 2 - half).rounded(.down)) - 1
    let high = Int((Double(count) / 2 + 1 + half).rounded(.up)) - 1
    medianLow = sorted[Swift.max(0, Swift.min(low, count - 1))]
    medianHigh = sorted[Swift.min(count - 1, Swift.max(high, 0))]
  }

  /// Quantile `q` of sorted values, interpolating linearly between neighbours (type 7).
  public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = Swift.min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
  }
}
