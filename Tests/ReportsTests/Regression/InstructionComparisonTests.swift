import Foundation
import Harness
import Reports
import TestSupport
import Testing

/// `RegressionCheck.compare` on instruction counts (`run --metric instructions`): one count per
/// case and block, a 1 % band, an interval that is a point when the counts repeat.
@Suite struct InstructionComparisonTests {
  /// The fixture's eight cases with counts a side is made of.
  static let counts: [String: Double] = [
    "dw.naive.nchw": 1_110_559, "dw.naive.nhwc": 1_110_561, "dw.simd8.nchw": 69_261,
    "dw.simd8.nhwc": 24_071, "pw.naive.nchw": 8_846_735, "pw.naive.nhwc": 8_846_737,
    "pw.packed-gemm.nchw": 50_521, "pw.packed-gemm.nhwc": 38_468,
  ]

  /// A result folder of instruction counts under `scratch/name`: the fixture's first BASE
  /// block, its plan marked `instructions`, with `instructions.csv` holding `counts` (by
  /// variant id) counted by `source`.
  static func side(
    _ name: String, in scratch: URL, counts: [String: Double] = counts,
    source: String = "callgrind"
  ) throws -> MeasuredRun {
    let folder = try RegressionFixture.copy(
      "base/block-001", into: scratch.appendingPathComponent(name))
    let meta = folder.appendingPathComponent("meta.json")
    var metadata = try JSONDecoder().decode(RunMetadata.self, from: Data(contentsOf: meta))
    metadata.plan.metric = Metric.instructions.rawValue
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(metadata).write(to: meta)
    var csv = InstructionsTable.header.joined(separator: ",") + "\n"
    for (id, count) in counts.sorted(by: { $0.key < $1.key }) {
      let parts = id.split(separator: ".")
      csv +=
        "1,shapes,\(RegressionFixture.caseName),\(parts[0]),\(parts[1]),\(parts[2]),1,"
        + "\(Int(count)),1.0,\(source),\n"
    }
    try Data(csv.utf8).write(to: folder.appendingPathComponent(ResultFolder.instructionsFile))
    return try MeasuredRun.read(folder.path)
  }

  static func verdicts(_ report: RegressionReport) -> [String: Verdict] {
    Dictionary(uniqueKeysWithValues: report.rows.map { ($0.key.variantID, $0.verdict) })
  }

  @Test func equalCountsAreUnchangedWithAPointIntervalAndAOnePercentBand() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let base = try Self.side("base", in: scratch)
    let head = try Self.side("head", in: scratch)
    #expect(base.metric == "instructions:callgrind")
    let report = try RegressionCheck.compare(base: base, head: head)
    #expect(report.metric == "instructions:callgrind")
    #expect(!report.paired)
    #expect(report.rows.count == 8)
    for row in report.rows {
      #expect(row.verdict == .unchanged)
      #expect(row.threshold == RegressionThreshold.instructionsDefault)
      #expect(row.estimate?.low == 1 && row.estimate?.high == 1 && row.estimate?.pValue == nil)
    }
    #expect(report.exitStatus == 0)
    #expect(report.table.contains("instructions counted by callgrind"))
    #expect(report.table.contains("1110559"))
  }

  @Test func aChangeBeyondOnePercentIsARegressionOrAnImprovement() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    var changed = Self.counts
    changed["dw.simd8.nhwc"] = 24_071 * 1.02
    changed["pw.packed-gemm.nhwc"] = 38_468 * 0.98
    changed["dw.naive.nchw"] = 1_110_559 * 1.005
    let report = try RegressionCheck.compare(
      base: Self.side("base", in: scratch), head: Self.side("head", in: scratch, counts: changed))
    let verdicts = Self.verdicts(report)
    #expect(verdicts["dw.simd8.nhwc"] == .regression)
    #expect(verdicts["pw.packed-gemm.nhwc"] == .improvement)
    #expect(verdicts["dw.naive.nchw"] == .unchanged, "+0.5 % is inside the 1 % band")
    #expect(report.count(.unchanged) == 6)
    #expect(report.exitStatus == 1)
    #expect(report.rows.first?.key.variantID == "dw.simd8.nhwc", "worst first")
  }

  @Test func countsAreNeverComparedWithTimesOrWithAnotherCounter() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let counted = try Self.side("counted", in: scratch)
    let timed = try MeasuredRun.read(RegressionFixture.path("base"))
    #expect(
      throws: RegressionInputError.differentMetrics(base: "time", head: "instructions:callgrind")
    ) {
      try RegressionCheck.compare(base: timed, head: counted)
    }
    let papi = try Self.side("papi", in: scratch, source: "PAPI_TOT_INS")
    #expect(
      throws: RegressionInputError.differentMetrics(
        base: "instructions:PAPI_TOT_INS", head: "instructions:callgrind")
    ) {
      try RegressionCheck.compare(base: papi, head: counted)
    }
  }

  @Test func aFolderOfCountsWithoutItsCountFileIsNotAResultFolder() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let side = try Self.side("base", in: scratch)
    let file = URL(fileURLWithPath: side.path).appendingPathComponent(ResultFolder.instructionsFile)
    try FileManager.default.removeItem(at: file)
    #expect(
      throws: RegressionInputError.notAResultFolder(
        path: side.path, reason: "instructions.csv is missing")
    ) {
      try MeasuredRun.read(side.path)
    }
  }
}

/// A run written before the `isa` column against one that has it: cases match on the rest.
@Suite struct ISAColumnCompatibilityTests {
  @Test func aSideWithoutTheISAColumnStillMatchesEveryCase() throws {
    let base = try MeasuredRun.read(RegressionFixture.path("base"))
    var head = try MeasuredRun.read(RegressionFixture.path("head"))
    #expect(!base.namesISA && !head.namesISA)
    head = head.mappingKeys { key in
      var tagged = key
      tagged.isa = key.variant == "naive" ? "generic" : "avx2"
      return tagged
    }
    #expect(head.namesISA)
    let report = try RegressionCheck.compare(base: base, head: head)
    let verdicts = Dictionary(
      uniqueKeysWithValues: report.rows.map { ($0.key.variantID, $0.verdict) })
    #expect(verdicts == RegressionCheckTests.designedVerdicts)
  }
}

/// A case one side measured and the other skipped is a broken build, not a new variant.
@Suite struct SkippedOnOneSideTests {
  @Test func aCaseSkippedInHeadIsBrokenAndExitsTwo() throws {
    let base = try MeasuredRun.read(RegressionFixture.path("base"))
    var head = try MeasuredRun.read(RegressionFixture.path("head-no-failure"))
    let key = try #require(head.cases.first { $0.variantID == "dw.simd8.nhwc" })
    head.blocks = head.blocks.map { block in
      var copy = block
      copy.samples[key] = nil
      copy.status[key] = "skipped"
      return copy
    }
    let report = try RegressionCheck.compare(base: base, head: head)
    let row = try #require(report.rows.first { $0.key == key })
    #expect(row.verdict == .incomparable)
    #expect(row.reason == "skipped in HEAD (its results.csv note says why)")
    #expect(!row.oneSided)
    #expect(report.exitStatus == 2)
  }

  @Test func theNoiseOfACaseIsFoundWhicheverSideNamesTheISA() {
    let bare = CaseKey(
      suite: "quick", caseName: "q", op: "dw", variant: "simd8", layout: "nhwc", threads: 1)
    var tagged = bare
    tagged.isa = "avx2"
    #expect(NoiseFloor(noise: [bare: 0.04], blocks: 8).noise(for: tagged) == 0.04)
    #expect(NoiseFloor(noise: [tagged: 0.03], blocks: 8).noise(for: bare) == 0.03)
    #expect(NoiseFloor(noise: [tagged: 0.03], blocks: 8).noise(for: tagged) == 0.03)
    var other = bare
    other.variant = "naive"
    #expect(NoiseFloor(noise: [tagged: 0.03], blocks: 8).noise(for: other) == nil)
  }
}
