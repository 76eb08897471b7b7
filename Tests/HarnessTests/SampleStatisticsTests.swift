import Harness
import Testing

@Suite struct SampleStatisticsTests {
  @Test func oddCountGivesTheMiddleValueAsMedian() {
    let s = SampleStatistics([5, 1, 4, 2, 3])
    #expect(s.min == 1)
    #expect(s.median == 3)
    #expect(s.mean == 3)
    #expect(s.count == 5)
  }

  @Test func evenCountInterpolatesMedianAndP90() {
    let s = SampleStatistics([10, 20, 30, 40])
    #expect(s.median == 25)
    // type-7 quantile: position 0.9 * 3 = 2.7 -> 30 + 0.7 * 10
    #expect(abs(s.p90 - 37) < 1e-12)
  }

  @Test func standardDeviationUsesNMinusOne() {
    let s = SampleStatistics([2, 4, 4, 4, 5, 5, 7, 9])
    // mean 5, squared deviations sum 32, 32 / 7
    #expect(abs(s.standardDeviation - (32.0 / 7).squareRoot()) < 1e-12)
  }

  @Test func oneSampleHasZeroSpread() {
    let s = SampleStatistics([42])
    #expect(s.standardDeviation == 0)
    #expect(s.medianLow == 42 && s.medianHigh == 42)
  }

  @Test func medianIntervalOfHundredSamplesUsesOrderStatisticRanks() {
    let s = SampleStatistics((1...100).map(Double.init))
    // 1-based ranks floor(50 - 9.8) = 40 and ceil(51 + 9.8) = 61 -> values 40 and 61
    #expect(s.medianLow == 40)
    #expect(s.medianHigh == 61)
  }
}
