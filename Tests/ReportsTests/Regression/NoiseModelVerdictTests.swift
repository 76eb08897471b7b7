import Harness
import Reports
import TestSupport
import Testing

/// Verdict counts over simulated suites of the seeded noise model.
private struct Tally {
  var counts: [Verdict: Int] = [:]
  /// Suites with at least one case of the verdict, among cases whose true shift is 0.
  var suitesWith: [Verdict: Int] = [:]
  var cases: Int { counts.values.reduce(0, +) }
  func share(_ verdict: Verdict) -> Double { Double(counts[verdict, default: 0]) / Double(cases) }
}

private func simulate(
  suites: Int, model: NoiseModel = NoiseModel(), seed: UInt64, shift: @escaping (Int) -> Double
) -> Tally {
  var tally = Tally()
  let estimator = RatioEstimator()
  for s in 0..<suites {
    var seen: Set<Verdict> = []
    let suite = model.suite(seed: seed &+ UInt64(s) &* 0x9E37_79B9, shift: shift)
    for (c, sides) in suite.enumerated() {
      let estimate = estimator.estimate(
        base: sides.base, head: sides.head, paired: true, seed: UInt64(c))
      let verdict = Verdict.decide(estimate, threshold: RegressionThreshold.pairedDefault)
      tally.counts[verdict, default: 0] += 1
      if shift(c) == 0 { seen.insert(verdict) }
    }
    for verdict in seen { tally.suitesWith[verdict, default: 0] += 1 }
  }
  return tally
}

/// The bar for the verdict statistics, on the noise model of `NoiseModel` with the
/// default 20 paired blocks of 10 samples and the default 5 % band.
@Suite struct NoiseModelVerdictTests {
  @Test func aHundredSuiteWideAAComparisonsRaiseAtMostOneFalseAlarm() {
    let tally = simulate(suites: 100, seed: 1) { _ in 0 }
    #expect(tally.cases == 100 * 120)
    #expect(tally.suitesWith[.regression, default: 0] <= 1, "\(tally.counts)")
    #expect(tally.suitesWith[.improvement, default: 0] <= 1, "\(tally.counts)")
    #expect(tally.share(.unchanged) >= 0.8, "most A/A cases are decided: \(tally.counts)")
  }

  @Test func aTenPercentSlowdownIsFlaggedInAtLeast95PercentOfCases() {
    let tally = simulate(suites: 10, seed: 2) { _ in 0.10 }
    #expect(tally.share(.regression) >= 0.95, "\(tally.counts)")
  }

  @Test func aThreePercentSlowdownIsUnchangedOrInconclusive() {
    let tally = simulate(suites: 10, seed: 3) { _ in 0.03 }
    #expect(tally.counts[.improvement] == nil, "\(tally.counts)")
    #expect(tally.counts[.regression] == nil, "\(tally.counts)")
  }

  @Test func onlyTheShiftedCasesOfAMixedSuiteAreFlagged() {
    let tally = simulate(suites: 10, seed: 4) { c in c % 10 == 0 ? 0.15 : 0 }
    #expect(tally.suitesWith[.regression, default: 0] <= 1, "no unshifted case flagged")
    #expect(tally.counts[.regression, default: 0] >= 114, "\(tally.counts)")
  }
}
