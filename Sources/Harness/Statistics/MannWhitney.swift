/// The Mann-Whitney U test (Wilcoxon rank-sum), as Google Benchmark's `compare.py` reports it.
///
/// Two-sided p-value from the normal approximation with continuity and tie corrections. It is
/// shown beside a regression verdict but never decides one: with hundreds of samples a
/// difference far too small to matter is "significant", and with a handful a large one is not.
public enum MannWhitney {
  /// The two-sided p-value for `a` and `b` having the same distribution, or nil when either
  /// side has fewer than 2 samples or every value is equal.
  public static func pValue(_ a: [Double], _ b: [Double]) -> Double? {
    guard a.count >= 2, b.count >= 2 else { return nil }
    let n1 = Double(a.count)
    let n2 = Double(b.count)
    let pooled = (a.map { ($0, true) } + b.map { ($0, false) }).sorted { $0.0 < $1.0 }
    var rankSumA = 0.0
    var tieTerm = 0.0
    var start = 0
    while start < pooled.count {
      var end = start
      while end + 1 < pooled.count && pooled[end + 1].0 == pooled[start].0 { end += 1 }
      let rank = Double(start + end + 2) / 2  // mean of the 1-based ranks start+1 ... end+1
      let ties = Double(end - start + 1)
      tieTerm += ties * ties * ties - ties
      for index in start...end where pooled[index].1 { rankSumA += rank }
      start = end + 1
    }
    let u = rankSumA - n1 * (n1 + 1) / 2
    let mean = n1 * n2 / 2
    let n = n1 + n2
    let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
    guard variance > 0 else { return nil }
    let z = (abs(u - mean) - 0.5) / variance.squareRoot()
    return min(1, 2 * NormalDistribution.upperTail(max(0, z)))
  }
}

/// The standard normal distribution's tail, for p-values.
public enum NormalDistribution {
  /// P(Z > z) for a standard normal Z.
  public static func upperTail(_ z: Double) -> Double {
    0.5 * erfc(z / 2.0.squareRoot())
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
