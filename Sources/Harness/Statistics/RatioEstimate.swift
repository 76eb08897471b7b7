/// How HEAD's time compares with BASE's for one case: the ratio of medians HEAD/BASE with a
/// bootstrap confidence interval, and the Mann-Whitney p-value of the pooled samples.
public struct RatioEstimate: Sendable, Equatable, Codable {
  /// HEAD/BASE: 1.10 means HEAD takes 10 % longer.
  public var ratio: Double
  /// The confidence interval of `ratio` at `level`.
  public var low: Double
  public var high: Double
  /// Confidence level of [low, high], e.g. 0.99.
  public var level: Double
  /// True when blocks were paired (block i of BASE with block i of HEAD).
  public var paired: Bool
  /// Samples and blocks on each side.
  public var baseSamples: Int
  public var headSamples: Int
  public var blocks: Int
  /// Median of all BASE samples and of all HEAD samples (ns per iteration).
  public var baseMedian: Double
  public var headMedian: Double
  /// Two-sided Mann-Whitney U p-value of the pooled samples; shown, never decisive.
  public var pValue: Double?

  public init(
    ratio: Double, low: Double, high: Double, level: Double, paired: Bool, baseSamples: Int,
    headSamples: Int, blocks: Int, baseMedian: Double, headMedian: Double, pValue: Double?
  ) {
    self.ratio = ratio
    self.low = low
    self.high = high
    self.level = level
    self.paired = paired
    self.baseSamples = baseSamples
    self.headSamples = headSamples
    self.blocks = blocks
    self.baseMedian = baseMedian
    self.headMedian = headMedian
    self.pValue = pValue
  }
}
