import Harness
import Testing

/// Known values of the pieces of the regression statistics (scipy.stats for t and the
/// Mann-Whitney U test; hand-computed Walsh averages).
@Suite struct RatioStatisticsTests {
  @Test(arguments: [
    (0.995, 7, 3.4995), (0.995, 19, 2.8609), (0.975, 1, 12.7062), (0.975, 3, 3.1824),
    (0.995, 5, 4.0321), (0.995, 15, 2.9467),
  ])
  func studentTQuantilesMatchTheTables(p: Double, degrees: Int, expected: Double) {
    #expect(abs(StudentT.quantile(p, degrees: degrees) - expected) < 2e-4)
  }

  @Test func hodgesLehmannIsTheMedianOfTheWalshAverages() {
    // Walsh averages of [1, 2, 10]: 1, 1.5, 5.5, 2, 6, 10 -> median (2 + 5.5) / 2.
    #expect(RatioEstimator.hodgesLehmann([1, 2, 10]) == 3.75)
    #expect(RatioEstimator.hodgesLehmann([4]) == 4)
  }

  @Test func mannWhitneyMatchesScipyWithContinuityCorrection() throws {
    // scipy.stats.mannwhitneyu([1,2,3,4,5], [6,7,8,9,10], method="asymptotic") -> 0.012186
    let p = try #require(MannWhitney.pValue([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]))
    #expect(abs(p - 0.012186) < 1e-5)
    // Ties: scipy gives 0.17203 for [1,2,2,3] vs [2,3,3,4].
    let tied = try #require(MannWhitney.pValue([1, 2, 2, 3], [2, 3, 3, 4]))
    #expect(abs(tied - 0.17203) < 1e-4)
    #expect(MannWhitney.pValue([1], [2, 3]) == nil)
    #expect(MannWhitney.pValue([5, 5], [5, 5]) == nil)
  }

  @Test func pairedIntervalsNeedEightPairsAndAreReproducible() {
    let base = (0..<8).map { b in (0..<5).map { 100 + Double(($0 * 7 + b) % 5) } }
    let head = base.map { $0.map { $0 * 1.2 } }
    let estimator = RatioEstimator()
    let paired = estimator.estimate(base: base, head: head, paired: true, seed: 1)
    #expect(paired.paired && paired.blocks == 8)
    #expect(abs(paired.ratio - 1.2) < 1e-12, "every block is exactly 20 % slower")
    let few = estimator.estimate(
      base: Array(base.prefix(7)), head: Array(head.prefix(7)), paired: true, seed: 1)
    #expect(!few.paired, "7 pairs are pooled")
    #expect(
      few
        == estimator.estimate(
          base: Array(base.prefix(7)), head: Array(head.prefix(7)), paired: true, seed: 1))
  }
}
