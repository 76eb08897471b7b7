import Foundation
import Reports
import TestSupport
import Testing

/// Folders `MeasuredRun.read` and `RegressionCheck.compare` refuse, each with the error that
/// names what is wrong. Every test edits a scratch copy of the fixture, never the fixture.
@Suite struct RegressionInputErrorTests {
  /// Rewrites every block's fingerprint of a copied side to CPU model 2 (the fixture's is 1).
  private static func moveToAnotherCPUModel(_ side: URL) throws {
    try RegressionFixture.editBlocks(
      of: side, file: "meta.json", replacing: "\"cpuModelNumber\" : 1,",
      with: "\"cpuModelNumber\" : 2,")
  }

  /// A scratch copy of fixture `name`; the caller removes `scratch`.
  static func copy(_ name: String, _ scratch: URL) throws -> URL {
    try RegressionFixture.copy(name, into: scratch)
  }

  @Test func aMissingFolderIsNotAResultFolder() {
    let path = RegressionFixture.scratchFolder().path
    #expect(throws: RegressionInputError.notAResultFolder(path: path, reason: "no such folder")) {
      try MeasuredRun.read(path)
    }
  }

  @Test func aFolderWithoutMetaJSONOrBlocksIsNotAResultFolder() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    try Data("x\n".utf8).write(to: scratch.appendingPathComponent("notes.txt"))
    let expected = RegressionInputError.notAResultFolder(
      path: scratch.path, reason: "it has no meta.json and no block-* folders")
    #expect(throws: expected) { try MeasuredRun.read(scratch.path) }
  }

  @Test func aBlockWithoutSamplesCSVIsNotAResultFolder() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let block = try Self.copy("base/block-001", scratch)
    try FileManager.default.removeItem(at: block.appendingPathComponent("samples.csv"))
    let expected = RegressionInputError.notAResultFolder(
      path: block.path, reason: "samples.csv is missing")
    #expect(throws: expected) { try MeasuredRun.read(block.path) }
  }

  @Test func anUnfinishedRunIsRefusedUnlessIncompleteRunsAreAllowed() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let block = try Self.copy("base/block-001", scratch)
    try RegressionFixture.edit(
      block.appendingPathComponent("meta.json"), replacing: "\"completed\" : true",
      with: "\"completed\" : false")
    #expect(throws: RegressionInputError.unfinished(path: block.path)) {
      try MeasuredRun.read(block.path)
    }
    let run = try MeasuredRun.read(block.path, allowIncomplete: true)
    #expect(run.blocks.count == 1)
    #expect(run.cases.count == 8)
  }

  @Test func oneUnfinishedBlockRefusesTheSideNamingThatBlock() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let side = try Self.copy("base", scratch)
    let block = side.appendingPathComponent("block-003")
    try RegressionFixture.edit(
      block.appendingPathComponent("meta.json"), replacing: "\"completed\" : true",
      with: "\"completed\" : false")
    #expect(throws: RegressionInputError.unfinished(path: block.path)) {
      try MeasuredRun.read(side.path)
    }
    #expect(try MeasuredRun.read(side.path, allowIncomplete: true).blocks.count == 8)
  }

  @Test func samplesWithoutATimeColumnAreAnErrorNamingTheColumnAndFile() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let block = try Self.copy("base/block-001", scratch)
    let samples = block.appendingPathComponent("samples.csv")
    try RegressionFixture.edit(samples, replacing: ",iters,time_ns\n", with: ",iters,time\n")
    #expect(throws: CSVError.missingColumn("time_ns", file: samples.path)) {
      try MeasuredRun.read(block.path)
    }
  }

  @Test func aMetaJSONOfAFutureSchemaIsRefusedNamingBothSchemas() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let block = try Self.copy("base/block-001", scratch)
    try RegressionFixture.edit(
      block.appendingPathComponent("meta.json"), replacing: "\"schema\" : 1,",
      with: "\"schema\" : 99,")
    let expected = RegressionInputError.futureSchema(
      path: block.path, found: 99, supported: ResultsColumn.schemaVersion)
    #expect(throws: expected) { try MeasuredRun.read(block.path) }
    #expect(
      expected.description.contains(
        "schema 99; this sepbench reads schema \(ResultsColumn.schemaVersion) and older"))
  }

  @Test func samplesOfAFutureSchemaAreRefusedNamingTheFile() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let block = try Self.copy("base/block-001", scratch)
    let samples = block.appendingPathComponent("samples.csv")
    try RegressionFixture.edit(samples, replacing: "\n1,shapes,", with: "\n99,shapes,")
    let expected = RegressionInputError.futureSchema(
      path: samples.path, found: 99, supported: ResultsColumn.schemaVersion)
    #expect(throws: expected) { try MeasuredRun.read(block.path) }
  }

  @Test func samplesCSVWithOnlyAHeaderHasNoSamples() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let block = try Self.copy("base/block-001", scratch)
    let samples = block.appendingPathComponent("samples.csv")
    let header = try String(contentsOf: samples, encoding: .utf8).split(separator: "\n")[0]
    try Data((header + "\n").utf8).write(to: samples)
    #expect(throws: RegressionInputError.noSamples(path: block.path)) {
      try MeasuredRun.read(block.path)
    }
  }

  @Test func aNonPositiveTimeIsAnErrorNamingColumnValueAndLine() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let block = try Self.copy("base/block-001", scratch)
    let samples = block.appendingPathComponent("samples.csv")
    var lines = try String(contentsOf: samples, encoding: .utf8).split(separator: "\n")
      .map(String.init)
    var cells = lines[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    cells[cells.count - 1] = "-1"
    lines[3] = cells.joined(separator: ",")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: samples)
    #expect(throws: CSVError.badNumber(column: "time_ns", value: "-1", line: 4)) {
      try MeasuredRun.read(block.path)
    }
  }

  @Test func differentFingerprintsAreRefusedNamingTheDifference() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let head = try Self.copy("head-no-failure", scratch)
    try Self.moveToAnotherCPUModel(head)
    let base = try MeasuredRun.read(RegressionFixture.path("base"))
    let expected = RegressionInputError.differentMachines(differences: ["cpu model: 1 vs 2"])
    #expect(throws: expected) {
      try RegressionCheck.compare(base: base, head: try MeasuredRun.read(head.path))
    }
  }

  @Test func oneBlockOfAnotherMachineWithinASideIsAlsoADifference() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let head = try Self.copy("head-no-failure", scratch)
    try RegressionFixture.edit(
      head.appendingPathComponent("block-005").appendingPathComponent("meta.json"),
      replacing: "\"logicalCores\" : 2,\n    \"papiTrait\"",
      with: "\"logicalCores\" : 4,\n    \"papiTrait\"")
    let base = try MeasuredRun.read(RegressionFixture.path("base"))
    #expect(throws: RegressionInputError.differentMachines(differences: ["cores: 2 vs 4"])) {
      try RegressionCheck.compare(base: base, head: try MeasuredRun.read(head.path))
    }
  }

  @Test func allowedDifferentMachinesGiveAnAdvisoryReportWithTheSameVerdicts() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let head = try Self.copy("head-no-failure", scratch)
    try Self.moveToAnotherCPUModel(head)
    let base = try MeasuredRun.read(RegressionFixture.path("base"))
    var options = RegressionOptions()
    options.allowDifferentMachines = true
    let report = try RegressionCheck.compare(
      base: base, head: try MeasuredRun.read(head.path), options: options)
    #expect(report.machineDifferences == ["cpu model: 1 vs 2"])
    #expect(report.rows.count == 8)
    #expect(report.rows.allSatisfy { $0.reason.hasPrefix("advisory") })
    let same = try RegressionCheck.compare(
      base: base, head: try MeasuredRun.read(RegressionFixture.path("head-no-failure")))
    #expect(
      Dictionary(uniqueKeysWithValues: report.rows.map { ($0.key, $0.verdict) })
        == Dictionary(uniqueKeysWithValues: same.rows.map { ($0.key, $0.verdict) }))
    #expect(report.table.contains("ADVISORY: different machines (cpu model: 1 vs 2)"))
    #expect(same.exitStatus == 1, "the regression gates on one machine")
    #expect(report.exitStatus == 0, "an advisory report gates nothing")
    #expect(report.markdown().contains("advisory only"))
  }

  @Test func aOneSidedCaseInAnAdvisoryReportDoesNotCountAsBroken() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let head = try Self.copy("head-no-failure", scratch)
    try Self.moveToAnotherCPUModel(head)
    for file in ["samples.csv", "results.csv"] {
      try RegressionFixture.editBlocks(
        of: head, file: file, replacing: ",pw,naive,nchw,", with: ",pw,naive,nhwc-renamed,")
    }
    var options = RegressionOptions()
    options.allowDifferentMachines = true
    let report = try RegressionCheck.compare(
      base: try MeasuredRun.read(RegressionFixture.path("base")),
      head: try MeasuredRun.read(head.path), options: options)
    #expect(report.rows.filter(\.oneSided).count == 2, "only in BASE and only in HEAD")
    #expect(report.brokenRows.isEmpty)
    #expect(report.exitStatus == 0)
  }

  @Test func sidesThatShareNoCaseAreIncomparable() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let head = try Self.copy("head-no-failure/block-001", scratch)
    for file in ["samples.csv", "results.csv"] {
      try RegressionFixture.edit(
        head.appendingPathComponent(file), replacing: ",\(RegressionFixture.caseName),",
        with: ",renamed,")
    }
    let base = try MeasuredRun.read(RegressionFixture.path("base/block-001"))
    let expected = RegressionInputError.nothingInCommon(base: base.path, head: head.path)
    #expect(throws: expected) {
      try RegressionCheck.compare(base: base, head: try MeasuredRun.read(head.path))
    }
  }

  @Test func aCaseOnlyOneSideRanIsIncomparableWithoutFailingTheCheck() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let head = try Self.copy("head-no-failure", scratch)
    // Drop pw.packed-gemm.nchw from HEAD: as if the variant had been removed.
    try RegressionFixture.editBlocks(
      of: head, file: "samples.csv", replacing: ",pw,packed-gemm,nchw,",
      with: ",pw,packed-gemm,gone,")
    try RegressionFixture.editBlocks(
      of: head, file: "results.csv", replacing: ",pw,packed-gemm,nchw,",
      with: ",pw,packed-gemm,gone,")
    let report = try RegressionCheck.compare(
      base: try MeasuredRun.read(RegressionFixture.path("base")),
      head: try MeasuredRun.read(head.path))
    let reasons = report.rows.filter { $0.verdict == .incomparable }.map(\.reason).sorted()
    #expect(reasons == ["only in BASE", "only in HEAD"])
    #expect(report.brokenRows.isEmpty)
    #expect(report.exitStatus == 1)
  }
}
