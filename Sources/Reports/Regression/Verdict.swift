import Harness

/// What a regression check concludes about one case.
public enum Verdict: String, Sendable, Codable, CaseIterable, Comparable {
  /// The whole confidence interval of HEAD/BASE lies above 1 + T.
  case regression
  /// The whole interval lies below 1 / (1 + T).
  case improvement
  /// The whole interval lies inside [1 / (1 + T), 1 + T].
  case unchanged
  /// The interval straddles a band edge: too noisy to tell at this threshold.
  case inconclusive
  /// The two sides cannot be compared (machine, plan, missing case, failed validation).
  case incomparable

  /// Worst first: the order of console tables and summaries.
  public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }

  private var rank: Int {
    switch self {
    case .regression: 0
    case .incomparable: 1
    case .inconclusive: 2
    case .improvement: 3
    case .unchanged: 4
    }
  }

  /// The verdict of `estimate` against the band ±`threshold` (0.05 = 5 %), symmetric in log
  /// space: a regression needs `low > 1 + T`, an improvement `high < 1 / (1 + T)`.
  public static func decide(_ estimate: RatioEstimate, threshold: Double) -> Verdict {
    let upper = 1 + threshold
    let lower = 1 / upper
    if estimate.low > upper { return .regression }
    if estimate.high < lower { return .improvement }
    if estimate.low >= lower && estimate.high <= upper { return .unchanged }
    return .inconclusive
  }
}
