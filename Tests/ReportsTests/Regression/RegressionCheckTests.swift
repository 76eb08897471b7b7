import Foundation
import Harness
import Reports
import TestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `RegressionCheck.compare` on the committed fixture (`Tests/Fixtures/regression`): eight
/// paired blocks a side whose synthetic times `make_fixture.py` chose so every verdict is known.
@Suite struct RegressionCheckTests {
  /// What `make_fixture.py` did to each case in `head/`, by variant id.
  static let designedVerdicts: [String: Verdict] = [
    "dw.naive.nchw": .regression,  // +25 %
    "dw.naive.nhwc": .improvement,  // -25 %
    "dw.simd8.nchw": .unchanged,  // 0 %, small noise
    "dw.simd8.nhwc": .inconclusive,  // 0 %, block ratios ±15-35 %
    "pw.naive.nchw": .incomparable,  // failed validation in HEAD
    "pw.naive.nhwc": .unchanged,
    "pw.packed-gemm.nchw": .unchanged,
    "pw.packed-gemm.nhwc": .unchanged,
  ]

  static func read(_ name: String) throws -> MeasuredRun {
    try MeasuredRun.read(RegressionFixture.path(name))
  }

  static func compare(
    _ base: String = "base", _ head: String = "head",
    _ options: RegressionOptions = RegressionOptions()
  ) throws -> RegressionReport {
    try RegressionCheck.compare(base: read(base), head: read(head), options: options)
  }

  static func row(_ report: RegressionReport, _ variantID: String) -> CaseComparison? {
    report.rows.first { $0.key.variantID == variantID }
  }

  static func verdicts(_ report: RegressionReport) -> [String: Verdict] {
    Dictionary(uniqueKeysWithValues: report.rows.map { ($0.key.variantID, $0.verdict) })
  }

  // MARK: Steal

  /// Each side's median steal over its blocks is printed beside the verdicts, and a busy
  /// machine is called so; folders that recorded none print nothing.
  @Test func theStealOfEachSideIsReportedAsItsMedianOverBlocks() throws {
    var (base, head) = (try Self.read("base"), try Self.read("head"))
    #expect(try RegressionCheck.compare(base: base, head: head).stealLine == nil)
    for index in base.blocks.indices {
      base.blocks[index].metadata.stealPercent = Double(index)  // 0 ... 7: median 3.5
      head.blocks[index].metadata.stealPercent = index < 4 ? 20 : 1  // median 10.5
    }
    let report = try RegressionCheck.compare(base: base, head: head)
    #expect(report.baseStealPercent == 3.5)
    #expect(report.headStealPercent == 10.5)
    #expect(
      report.stealLine
        == "Steal (CPU time the hypervisor took, median per block): BASE 3.5 %, HEAD 10.5 %; "
        + "the machine was busy, so wide intervals here are expected")
    #expect(report.table.split(separator: "\n")[1] == Substring(report.stealLine!))
    #expect(report.markdown().contains(report.stealLine! + ".\n\n"))
    head.blocks = head.blocks.map { block in
      var quiet = block
      quiet.metadata.stealPercent = nil
      return quiet
    }
    #expect(
      try RegressionCheck.compare(base: base, head: head).stealLine
        == "Steal (CPU time the hypervisor took, median per block): BASE 3.5 %, HEAD not recorded")
  }

  // MARK: Verdicts and exit status

  @Test func eachSyntheticChangeGetsTheVerdictItWasMadeFor() throws {
    #expect(Self.verdicts(try Self.compare()) == Self.designedVerdicts)
  }

  @Test func eightBlocksASideArePairedAgainstTheFivePercentBand() throws {
    let (base, head) = (try Self.read("base"), try Self.read("head"))
    #expect(base.isBlocked && head.isBlocked)
    #expect(base.blocks.count == 8 && head.blocks.count == 8)
    let report = try RegressionCheck.compare(base: base, head: head)
    #expect(report.paired)
    let estimated = report.rows.filter { $0.estimate != nil }
    #expect(estimated.count == 7)
    #expect(estimated.allSatisfy { $0.estimate?.paired == true && $0.estimate?.blocks == 8 })
    #expect(estimated.allSatisfy { $0.threshold == RegressionThreshold.pairedDefault })
    #expect(
      estimated.allSatisfy { $0.estimate?.baseSamples == 80 && $0.estimate?.headSamples == 80 })
  }

  @Test func theCaseThatFailedValidationInHeadIsIncomparableNamingHead() throws {
    let row = try #require(Self.row(try Self.compare(), "pw.naive.nchw"))
    #expect(row.verdict == .incomparable)
    #expect(row.estimate == nil)
    #expect(row.reason == "failed validation in HEAD")
  }

  @Test func aCaseBothSidesRanThatFailedValidationMakesTheExitStatusTwo() throws {
    let report = try Self.compare()
    #expect(report.brokenRows.map(\.key.variantID) == ["pw.naive.nchw"])
    #expect(report.exitStatus == 2)
  }

  @Test func withoutTheFailedCaseTheRegressionMakesTheExitStatusOne() throws {
    let report = try Self.compare("base", "head-no-failure")
    #expect(Self.row(report, "pw.naive.nchw")?.verdict == .unchanged)
    #expect(report.count(.regression) == 1)
    #expect(report.exitStatus == 1)
  }

  @Test func strictTurnsALoneInconclusiveCaseIntoExitStatusOne() throws {
    var options = RegressionOptions()
    options.rules = try ThresholdRules(parsing: "variant dw.naive.nchw 30%", file: "rules")
    #expect(try Self.compare("base", "head-no-failure", options).exitStatus == 0)
    options.strict = true
    let strict = try Self.compare("base", "head-no-failure", options)
    #expect(strict.count(.regression) == 0 && strict.count(.inconclusive) == 1)
    #expect(strict.exitStatus == 1)
  }

  @Test func rowsComeWorstFirst() throws {
    let order = try Self.compare().rows.map(\.verdict)
    #expect(
      order == [
        .regression, .incomparable, .inconclusive, .improvement, .unchanged, .unchanged,
        .unchanged, .unchanged,
      ])
  }

  @Test func theRegressionAndImprovementRatiosAreNearTheirSyntheticChanges() throws {
    let report = try Self.compare()
    let slower = try #require(Self.row(report, "dw.naive.nchw")?.estimate)
    let faster = try #require(Self.row(report, "dw.naive.nhwc")?.estimate)
    // The fixture's drift and noise are a few per cent; the designed changes are ±25 %.
    #expect(slower.low > 1.2 && slower.high < 1.3, "\(slower)")
    #expect(faster.low > 0.7 && faster.high < 0.8, "\(faster)")
  }

  // MARK: Outputs

  @Test func compareCSVIsTheSameOnTwoRunsAndMatchesTheCommittedFile() throws {
    let first = try Self.compare().csv
    let second = try Self.compare().csv
    #expect(first == second)
    let expected = try String(
      contentsOfFile: RegressionFixture.path("expected-compare.csv"), encoding: .utf8)
    #expect(first == expected)
  }

  @Test func compareCSVHasTheDocumentedHeaderAndOneRowPerCase() throws {
    let table = try CSVTable(parsing: try Self.compare().csv)
    #expect(table.header == RegressionReport.csvHeader)
    #expect(table.rows.count == 8)
    let verdicts = Dictionary(
      uniqueKeysWithValues: table.records.map { ($0["variant_id"]!, $0["verdict"]!) })
    #expect(verdicts == Self.designedVerdicts.mapValues(\.rawValue))
  }

  @Test func junitParsesWithOneTestcasePerCaseAndOneFailurePerRegression() throws {
    let report = try Self.compare()
    let document = try XMLDocument(data: Data(report.junit.utf8))
    let root = try #require(document.rootElement())
    #expect(root.name == "testsuites")
    #expect(root.attribute(forName: "tests")?.stringValue == "8")
    #expect(root.attribute(forName: "failures")?.stringValue == "\(report.count(.regression))")
    #expect(root.attribute(forName: "failures")?.stringValue == "1")
    #expect(root.attribute(forName: "errors")?.stringValue == "1")
    #expect(root.attribute(forName: "skipped")?.stringValue == "1")
    let cases = try document.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
    #expect(cases.count == 8)
    #expect(
      Set(cases.compactMap { $0.attribute(forName: "name")?.stringValue })
        == Set(Self.designedVerdicts.keys))
    let failed = try document.nodes(forXPath: "//testcase[failure]").compactMap {
      $0 as? XMLElement
    }
    #expect(failed.compactMap { $0.attribute(forName: "name")?.stringValue } == ["dw.naive.nchw"])
    let errored = try document.nodes(forXPath: "//testcase[error]").compactMap { $0 as? XMLElement }
    #expect(errored.compactMap { $0.attribute(forName: "name")?.stringValue } == ["pw.naive.nchw"])
  }

  @Test func markdownListsTheRegressionBeforeTheFoldedUnchangedCases() throws {
    let markdown = try Self.compare().markdown()
    #expect(markdown.utf8.count < 1 << 20)
    let regression = try #require(
      markdown.range(of: "| regression | \(RegressionFixture.caseName) | `dw.naive.nchw` |"))
    let folded = try #require(markdown.range(of: "<details><summary>4 unchanged</summary>"))
    #expect(regression.upperBound < folded.lowerBound)
    let unchanged = markdown.ranges(of: "| unchanged | ")
    #expect(unchanged.count == 4)
    #expect(unchanged.allSatisfy { $0.lowerBound > folded.upperBound })
    #expect(markdown.contains("**incomparable**"))
  }

  // MARK: Thresholds

  @Test func aThresholdOverrideOfThirtyPercentTurnsTheRegressionUnchanged() throws {
    var options = RegressionOptions()
    options.threshold = 0.30
    let row = try #require(Self.row(try Self.compare("base", "head", options), "dw.naive.nchw"))
    #expect(row.threshold == 0.30)
    #expect(row.verdict == .unchanged)
  }

  @Test func thresholdRulesParseEveryKindOfLineAndTheMostSpecificWins() throws {
    let text = """
      # per-op bands
      default 7%
      op dw 8%        # every depthwise variant

      case \(RegressionFixture.caseName) 0.1
      variant dw.naive.nchw 30%
      """
    let rules = try ThresholdRules(parsing: text, file: "rules.txt")
    #expect(rules.defaultThreshold == 0.07)
    #expect(rules.byOp == ["dw": 0.08])
    #expect(rules.byCase == [RegressionFixture.caseName: 0.1])
    #expect(rules.byVariant == ["dw.naive.nchw": 0.30])
    func key(_ caseName: String, _ op: String, _ variant: String) -> CaseKey {
      CaseKey(
        suite: "shapes", caseName: caseName, op: op, variant: variant, layout: "nchw", threads: 1)
    }
    #expect(rules.threshold(for: key(RegressionFixture.caseName, "dw", "naive")) == 0.30)
    #expect(rules.threshold(for: key(RegressionFixture.caseName, "dw", "simd8")) == 0.1)
    #expect(rules.threshold(for: key("other", "dw", "simd8")) == 0.08)
    #expect(rules.threshold(for: key("other", "pw", "naive")) == 0.07)
    #expect(ThresholdRules().threshold(for: key("other", "pw", "naive")) == nil)
  }

  @Test func aBadThresholdLineIsAnErrorNamingItsFileAndLine() {
    let text = "default 5%\n# fine\nop dw eight\nop pw 9%\n"
    let expected = RegressionInputError.badThreshold(
      file: "rules.txt", line: 3, text: "op dw eight")
    #expect(throws: expected) { try ThresholdRules(parsing: text, file: "rules.txt") }
    #expect(expected.description.hasPrefix("rules.txt line 3: 'op dw eight' is not"))
  }

  @Test(arguments: ["0%", "0", "-5%", "abc", "5 %", "1001%"])
  func aThresholdOutsideZeroToTenIsNoFraction(text: String) {
    #expect(ThresholdRules.fraction(text) == nil)
  }

  @Test func fractionsReadPercentAndDecimalTheSame() {
    #expect(ThresholdRules.fraction("5%") == 0.05)
    #expect(ThresholdRules.fraction("0.05") == 0.05)
  }

  @Test func aVariantRuleChangesOnlyItsOwnCase() throws {
    var options = RegressionOptions()
    options.rules = try ThresholdRules(parsing: "variant dw.naive.nchw 30%", file: "rules")
    let report = try Self.compare("base", "head", options)
    var expected = Self.designedVerdicts
    expected["dw.naive.nchw"] = .unchanged
    #expect(Self.verdicts(report) == expected)
    let others = report.rows.filter { $0.estimate != nil && $0.key.variantID != "dw.naive.nchw" }
    #expect(others.allSatisfy { $0.threshold == 0.05 })
  }

  // MARK: Unpaired

  @Test func singleBlocksArePooledAgainstTheTenPercentBand() throws {
    let base = try Self.read("base/block-001")
    let head = try Self.read("head-no-failure/block-001")
    #expect(!base.isBlocked && !head.isBlocked)
    let report = try RegressionCheck.compare(base: base, head: head)
    #expect(!report.paired)
    #expect(report.rows.allSatisfy { $0.estimate?.paired == false && $0.estimate?.blocks == 1 })
    #expect(report.rows.allSatisfy { $0.threshold == RegressionThreshold.unpairedDefault })
    #expect(Self.row(report, "dw.naive.nchw")?.verdict == .regression)
  }

  @Test func turningPairingOffPoolsTheBlocksOfBothSides() throws {
    var options = RegressionOptions()
    options.pairBlocks = false
    let report = try Self.compare("base", "head-no-failure", options)
    #expect(!report.paired)
    #expect(report.rows.allSatisfy { $0.estimate?.paired == false && $0.estimate?.blocks == 8 })
    #expect(report.rows.allSatisfy { $0.threshold == RegressionThreshold.unpairedDefault })
    #expect(Self.row(report, "dw.naive.nchw")?.verdict == .regression)
    #expect(report.headline.contains("unpaired, pooled medians, bootstrap interval"))
  }

  @Test func unevenBlockCountsArePooled() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let head = try RegressionFixture.copy("head-no-failure", into: scratch)
    try FileManager.default.removeItem(at: head.appendingPathComponent("block-008"))
    let report = try RegressionCheck.compare(
      base: try Self.read("base"), head: try MeasuredRun.read(head.path))
    #expect(!report.paired)
    #expect(report.rows.allSatisfy { $0.estimate?.blocks == 7 })
  }

  @Test func blockFoldersOfDifferentSessionsAreNotPaired() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let head = try RegressionFixture.copy("head-no-failure", into: scratch)
    let report = try RegressionCheck.compare(
      base: try Self.read("base"), head: try MeasuredRun.read(head.path))
    #expect(!report.paired, "8 blocks each, but not run alternately in one A/B session")
    #expect(report.rows.allSatisfy { $0.threshold == RegressionThreshold.unpairedDefault })
  }
}
