import Foundation
import Harness
import Reports
import TestSupport
import Testing

/// A pair in which one process ran every case off is left out; a change to every case is not.
@Suite struct DisturbedPairTests {
  /// Copies base and head-no-failure into one A/B session folder (with its ab.json), adds
  /// pairs 9 and 10 (copies of pairs 1 and 2: the fixture has 8, and leaving one out must still
  /// leave the 8 the paired interval needs), and multiplies every time of head's blocks
  /// `blocks` (1-based) by `factor`.
  private static func session(scaling blocks: [Int], by factor: Double) throws -> URL {
    let scratch = RegressionFixture.scratchFolder()
    _ = try RegressionFixture.copy("base", into: scratch)
    let head = try RegressionFixture.copy("head-no-failure", into: scratch)
    try FileManager.default.moveItem(
      at: head, to: scratch.appendingPathComponent("head"))
    try FileManager.default.copyItem(
      at: URL(fileURLWithPath: RegressionFixture.path("ab.json")),
      to: scratch.appendingPathComponent("ab.json"))
    for side in ["base", "head"] {
      for (from, to) in [(1, 9), (2, 10)] {
        try FileManager.default.copyItem(
          at: scratch.appendingPathComponent(String(format: "\(side)/block-%03d", from)),
          to: scratch.appendingPathComponent(String(format: "\(side)/block-%03d", to)))
      }
    }
    for block in blocks {
      let file = scratch.appendingPathComponent(
        String(format: "head/block-%03d/samples.csv", block))
      let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
      let scaled =
        [String(lines[0])]
        + lines.dropFirst().map { line -> String in
          var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
          cells[cells.count - 1] = String(Double(cells[cells.count - 1])! * factor)
          return cells.joined(separator: ",")
        }
      try (scaled.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    }
    return scratch
  }

  private static func compare(_ folder: URL) throws -> RegressionReport {
    try RegressionCheck.compare(
      base: try MeasuredRun.read(folder.appendingPathComponent("base").path),
      head: try MeasuredRun.read(folder.appendingPathComponent("head").path))
  }

  @Test func aPairWhoseHeadRanEverythingSlowIsLeftOutAndNamed() throws {
    let folder = try Self.session(scaling: [3], by: 1.6)
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = try Self.compare(folder)
    #expect(report.paired)
    #expect(Array(report.disturbedPairs.keys) == [2])
    #expect(abs((report.disturbedPairs[2] ?? 0) - 0.6) < 0.05, "\(report.disturbedPairs)")
    #expect(report.headline.contains("left out 1 disturbed pair(s): 3 (+"))
    #expect(report.rows.allSatisfy { $0.estimate.map { $0.blocks == 9 } ?? true })
  }

  @Test func aSlowdownOfEveryCaseInEveryPairIsKeptAndFlagged() throws {
    let folder = try Self.session(scaling: Array(1...10), by: 1.3)
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = try Self.compare(folder)
    #expect(report.disturbedPairs.isEmpty)
    #expect(report.count(.regression) >= 6, "\(report.table)")
    #expect(report.count(.improvement) == 0)
  }
}

@Suite struct PooledAgreementTests {
  private static func estimate(ratio: Double, base: Double, head: Double) -> RatioEstimate {
    RatioEstimate(
      ratio: ratio, low: ratio * 0.94, high: ratio * 1.06, level: 0.99, paired: true,
      baseSamples: 200, headSamples: 200, blocks: 20, baseMedian: base, headMedian: head,
      pValue: nil)
  }

  @Test func aPairedRegressionThePooledMediansDoNotShowIsNotBelieved() {
    let e = Self.estimate(ratio: 1.127, base: 28_600, head: 28_800)
    #expect(Verdict.decide(e, threshold: 0.05) == .regression)
    let why = RegressionCheck.pooledDisagreement(e, .regression, 0.05)
    #expect(
      why == "paired estimate +12.7% but pooled medians +0.7%: disturbed blocks, not a change")
  }

  @Test func aRegressionBothEstimatesShowStands() {
    let e = Self.estimate(ratio: 1.10, base: 5_300, head: 5_900)
    #expect(RegressionCheck.pooledDisagreement(e, .regression, 0.05) == nil)
    let better = Self.estimate(ratio: 0.85, base: 5_300, head: 4_600)
    #expect(RegressionCheck.pooledDisagreement(better, .improvement, 0.05) == nil)
    let unsure = Self.estimate(ratio: 0.85, base: 5_300, head: 5_280)
    #expect(RegressionCheck.pooledDisagreement(unsure, .improvement, 0.05) != nil)
  }
}
