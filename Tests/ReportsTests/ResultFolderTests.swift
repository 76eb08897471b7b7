import ConvKernels
import Foundation
import Harness
import Reports
import Testing

@Suite struct ResultFolderTests {
  static let designColumns =
    "schema, suite, case, op, variant, layout, threads, n, c_in, h, w, c_out, kh, kw, stride, pad, h_out, w_out, macs, flops, params, bytes_min, reps, iters, time_min_ns, time_median_ns, time_mean_ns, time_p90_ns, time_stddev_ns, gflops, gbps, max_abs_err, status"
    .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }

  static func temporaryFolder() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-test-\(UUID().uuidString)"
    ).path
  }

  static func metadata(completed: Bool = false) -> RunMetadata {
    var meta = RunMetadata(
      commandLine: ["sepbench", "run"], startTime: Date(timeIntervalSince1970: 0),
      machine: .current(), plan: PlanSummary(RunPlan(suite: .quick)), gitCommit: nil)
    meta.completed = completed
    return meta
  }

  static func sampleResults() throws -> [CaseResult] {
    let block = try ConvProblem(descriptor: "c8h6o16k3s1p1")
    func row(_ op: Op, _ family: String, _ samples: [Double], note: String = "") -> CaseResult {
      CaseResult(
        suite: "t", caseName: "shape, \"one\"", op: op, family: family, layout: .nhwc, threads: 1,
        blockProblem: block, status: .ok, note: note, iterations: 4, samples: samples,
        maxAbsError: 1e-7)
    }
    return [
      row(.convBlock, "naive", [1000, 1100, 900]),
      row(.sepBlock, "naive", [300, 250, 260], note: "needs, commas"),
      row(.dw, "naive", [50, 60, 55]),
      row(.pw, "naive", [150, 160, 170]),
    ]
  }

  @Test func resultsBeginWithDesignColumnsInOrder() {
    let header = ResultsTable(events: ["perf::TASK-CLOCK"], ceilings: nil).header
    #expect(Array(header.prefix(Self.designColumns.count)) == Self.designColumns)
    #expect(header.contains("ctr_perf__TASK_CLOCK"))
  }

  @Test func writtenFolderReadsBackRowForRow() throws {
    let path = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let folder = try ResultFolder.create(at: path)
    let results = try Self.sampleResults()
    let plan = RunPlan(suite: .quick)
    var meta = RunMetadata(
      commandLine: ["sepbench", "run"], startTime: Date(timeIntervalSince1970: 0),
      machine: .current(), plan: PlanSummary(plan), gitCommit: nil)
    meta.completed = true
    try folder.write(results: results, metadata: meta, events: ["PAPI_TOT_CYC"])

    let table = try folder.readTable(ResultFolder.resultsFile)
    #expect(table.rows.count == 4)
    let records = table.records
    #expect(records[0]["case"] == "shape, \"one\"")
    #expect(records[0]["time_median_ns"] == "1000")
    #expect(records[1]["note"] == "needs, commas")
    #expect(records[0]["macs"] == String(results[0].cost.macs))
    #expect(records[0]["ctr_PAPI_TOT_CYC"] == "")
    #expect(try folder.readMetadata() == meta)

    let samples = try folder.readTable(ResultFolder.samplesFile)
    #expect(samples.rows.count == 12)
    #expect(samples.records[1]["time_ns"] == "1100")
    #expect(samples.records[1]["rep"] == "1")
  }

  @Test func comparisonUsesBestMediansAndTheoreticalRatio() throws {
    let rows = ComparisonRow.rows(from: try Self.sampleResults())
    #expect(rows.count == 1)
    let row = rows[0]
    // medians: conv_block 1000, sep_block 260, dw 55, pw 160
    #expect(row.measuredSpeedup == 1000.0 / 260)
    #expect(row.macRatio == 1.0 / 16 + 1.0 / 9)
    #expect(abs(row.efficiency! - (1000.0 / 260) * (1.0 / 16 + 1.0 / 9)) < 1e-12)
    #expect(row.depthwiseShare == 55.0 / 215)
  }

  /// A Winograd conv_block faster than the direct one: the `std_*` columns keep the best direct
  /// variant, `best_std_*` name the Winograd one and its algorithm, and the written file says
  /// so in the new columns of both files.
  @Test func comparisonNamesTheBestDirectAndTheBestOfAnyAlgorithm() throws {
    let block = try ConvProblem(descriptor: "c8h6o16k3s1p1")
    var winograd = CaseResult(
      suite: "t", caseName: "shape, \"one\"", op: .convBlock, family: "winograd-f4x4",
      layout: .nhwc, threads: 1, blockProblem: block, status: .ok, iterations: 4,
      samples: [400, 420, 410], maxAbsError: 1e-6)
    winograd.algorithm = .winograd
    winograd.algorithmCost = WinogradTransform.f4x4.cost(block)
    let results = try Self.sampleResults() + [winograd]
    let row = try #require(ComparisonRow.rows(from: results).first)
    #expect(row.standard?.variant == "conv_block.naive.nhwc")
    #expect(row.bestStandard?.variant == "conv_block.winograd-f4x4.nhwc")
    #expect(row.measuredSpeedup == 1000.0 / 260)
    #expect(row.speedupVsBestStandard == 410.0 / 260)
    let cells = Dictionary(uniqueKeysWithValues: zip(ComparisonRow.header, row.cells))
    #expect(cells["std_variant"] == "conv_block.naive.nhwc")
    #expect(cells["best_std_variant"] == "conv_block.winograd-f4x4.nhwc")
    #expect(cells["best_std_algorithm"] == "winograd")
    #expect(cells["best_std_time_ns"] == "410")
    #expect(cells["speedup_vs_best_standard"] == "1.5769")

    let path = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let folder = try ResultFolder.create(at: path)
    try folder.write(results: results, metadata: Self.metadata(completed: true), events: [])
    let records = try folder.readTable(ResultFolder.resultsFile).records
    // 6x6 output: 2 x 2 tiles of 4x4, 36 products each, 8 x 16 channel pairs.
    #expect(records[4]["algorithm"] == "winograd")
    #expect(records[4]["algorithm_mults"] == String(4 * 36 * 8 * 16))
    #expect(records[4]["transform_flops"] == String(4 * (8 * 336 + 16 * 200)))
    #expect(records[0]["algorithm"] == "direct")
    #expect(records[0]["algorithm_mults"] == records[0]["macs"])
    #expect(records[0]["transform_flops"] == "0")
  }

  /// `steal_pct` holds each row's share to one decimal (empty where none was read), and the
  /// run's share survives the trip through `meta.json`.
  @Test func stealSharesAreWrittenPerRowAndPerRun() throws {
    var results = try Self.sampleResults()
    results[0].stealPercent = 18.26
    results[1].stealPercent = 0
    var meta = Self.metadata(completed: true)
    meta.stealPercent = 17.8
    let path = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let folder = try ResultFolder.create(at: path)
    try folder.write(results: results, metadata: meta, events: [])
    let records = try folder.readTable(ResultFolder.resultsFile).records
    #expect(records.map { $0["steal_pct"] } == ["18.3", "0", "", ""])
    #expect(try folder.readMetadata().stealPercent == 17.8)
    #expect(StealWarning.text(percent: 4.9) == nil)
    #expect(
      StealWarning.text(percent: 17.84)?.hasPrefix("Steal: the hypervisor took 17.8 % ") == true)
  }

  /// The paired peak columns hold the row's `PairedPeak` to two decimals, empty where no
  /// probe ran.
  @Test func pairedPeakColumnsAreWrittenPerRow() throws {
    var results = try Self.sampleResults()
    results[1].pairedPeak = PairedPeak(peakGFLOPS: 171.234, percent: 88.456)
    let path = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let folder = try ResultFolder.create(at: path)
    try folder.write(results: results, metadata: Self.metadata(completed: true), events: [])
    let records = try folder.readTable(ResultFolder.resultsFile).records
    #expect(records.map { $0["paired_peak_gflops"] } == ["", "171.23", "", ""])
    #expect(records.map { $0["pct_paired_peak_flops"] } == ["", "88.46", "", ""])
    #expect(records.allSatisfy { $0["schema"] == "5" })
  }

  @Test func fileInPlaceOfFolderIsRejected() throws {
    let path = Self.temporaryFolder()
    _ = FileManager.default.createFile(atPath: path, contents: Data())
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: FileError.self) { try ResultFolder.checkWritable(path) }
    #expect(throws: FileError.self) { try ResultFolder.create(at: path) }
  }

  @Test func atomicWriteLeavesNoTemporaryFiles() throws {
    let path = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let folder = try ResultFolder.create(at: path)
    try AtomicFile.write("a\n", to: folder.url.appendingPathComponent("x.csv"))
    try AtomicFile.write("b\n", to: folder.url.appendingPathComponent("x.csv"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["x.csv"])
    #expect(try String(contentsOfFile: path + "/x.csv", encoding: .utf8) == "b\n")
  }

  @Test func writeThatFailsPartwayLeavesMetaSayingIncomplete() throws {
    let path = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let folder = try ResultFolder.create(at: path)
    try folder.write(
      results: try Self.sampleResults(), metadata: Self.metadata(completed: true), events: [])
    // A non-empty folder where samples.csv was: renaming a file onto it fails.
    try FileManager.default.removeItem(atPath: path + "/" + ResultFolder.samplesFile)
    try FileManager.default.createDirectory(
      atPath: path + "/" + ResultFolder.samplesFile + "/x", withIntermediateDirectories: true)
    #expect(throws: FileError.self) {
      try folder.write(results: [], metadata: Self.metadata(completed: true), events: [])
    }
    #expect(try folder.readMetadata().completed == false)
  }

  @Test func failedCreationRemovesTheFoldersItMade() throws {
    let parent = Self.temporaryFolder()
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: parent) }
    let path = parent + "/made/" + String(repeating: "x", count: 300)  // NAME_MAX is 255
    #expect(throws: FileError.self) { try ResultFolder.create(at: path) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == [])
  }
}
