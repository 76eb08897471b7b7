import ConvKernels
import Foundation
import Harness
import Reports
import Testing

@Suite struct ISAComparisonTests {
  static let block = try! ConvProblem(descriptor: "c8h6o16k3s1p1")

  static func row(
    _ op: Op, _ family: String, _ isa: ISA, _ samples: [Double], layout: Layout = .nhwc,
    threads: Int = 1, caseName: String = "b01", status: CaseStatus = .ok
  ) -> CaseResult {
    var result = CaseResult(
      suite: "t", caseName: caseName, op: op, family: family, layout: layout, threads: threads,
      blockProblem: block, status: status, iterations: 4, samples: samples, maxAbsError: 1e-7)
    result.isa = isa
    return result
  }

  /// pw on one thread: AVX2's best is its NCHW variant (median 90), AVX-512's the 16-wide one
  /// (median 81); the failed and the generic variants, though faster, are not candidates.
  /// dw has only AVX2 variants and gets no row; pw on two threads gets its own row.
  static let results: [CaseResult] = [
    row(.pw, "naive", .generic, [10, 10, 10]),
    row(.pw, "packed-gemm", .avx2, [100, 101, 99]),
    row(.pw, "packed-gemm", .avx2, [90, 95, 85], layout: .nchw),
    row(.pw, "packed-gemm-avx512", .avx512, [80, 81, 82]),
    row(.pw, "broken-avx512", .avx512, [1, 1, 1], status: .failed),
    row(.dw, "simd8", .avx2, [30, 30, 30]),
    row(.pw, "packed-gemm", .avx2, [50, 50, 50], threads: 2),
    row(.pw, "packed-gemm-avx512", .avx512, [55, 56, 54], threads: 2),
  ]

  @Test func eachRowTakesTheFastestValidatedVariantOfEachLevel() throws {
    let rows = ISAComparisonRow.rows(from: Self.results)
    #expect(rows.count == 2)
    let one = try #require(rows.first)
    #expect(one.op == .pw && one.threads == 1)
    #expect(one.avx2 == BestVariant(variant: "pw.packed-gemm.nchw", time: 90))
    #expect(one.avx512 == BestVariant(variant: "pw.packed-gemm-avx512.nhwc", time: 81))
    #expect(one.ratio == 0.9)
    let two = rows[1]
    #expect(two.threads == 2)
    #expect(two.ratio == 55.0 / 50)
  }

  @Test func cellsFollowTheHeader() throws {
    let rows = ISAComparisonRow.rows(from: Self.results)
    let first = Dictionary(uniqueKeysWithValues: zip(ISAComparisonRow.header, rows[0].cells))
    #expect(first["case"] == "b01")
    #expect(first["op"] == "pw")
    #expect(first["avx2_variant"] == "pw.packed-gemm.nchw")
    #expect(first["avx2_time_ns"] == "90")
    #expect(first["avx512_variant"] == "pw.packed-gemm-avx512.nhwc")
    #expect(first["avx512_over_avx2"] == "0.9")
    #expect(first["faster_isa"] == "avx512")
    let second = Dictionary(uniqueKeysWithValues: zip(ISAComparisonRow.header, rows[1].cells))
    #expect(second["threads"] == "2")
    #expect(second["avx512_over_avx2"] == "1.1")
    #expect(second["faster_isa"] == "avx2")
  }

  @Test func summaryCountsCasesFasterAndWithinTheTolerance() {
    let rows = [
      Self.row(.pw, "packed-gemm", .avx2, [100]),
      Self.row(.pw, "packed-gemm-avx512", .avx512, [95]),
      Self.row(.pw, "packed-gemm", .avx2, [100], caseName: "b02"),
      Self.row(.pw, "packed-gemm-avx512", .avx512, [101.5], caseName: "b02"),
      Self.row(.pw, "packed-gemm", .avx2, [100], caseName: "b03"),
      Self.row(.pw, "packed-gemm-avx512", .avx512, [110], caseName: "b03"),
    ]
    let lines = ISASummary(rows: ISAComparisonRow.rows(from: rows)).lines
    #expect(lines.count == 3)
    #expect(lines[0].hasPrefix("AVX-512 against AVX2"))
    #expect(lines[0].contains("at most 2 % slower"))
    let cells = lines[2].split(separator: " ").map(String.init)
    #expect(cells == ["pw", "1", "3", "0.950", "1.015", "1.100", "1", "2"])
    #expect(ISASummary(rows: []).lines.isEmpty)
  }

  @Test func folderHoldsIsaCSVOnlyWhenBothLevelsRan() throws {
    let path = ResultFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let folder = try ResultFolder.create(at: path)
    let meta = ResultFolderTests.metadata(completed: true)
    try folder.write(results: Self.results, metadata: meta, events: [])
    let table = try folder.readTable(ResultFolder.isaFile)
    #expect(table.header == ISAComparisonRow.header)
    #expect(table.records.map { $0["avx512_over_avx2"] } == ["0.9", "1.1"])

    // The same folder rewritten by a run of one level: no stale ISA rows stay behind.
    try folder.write(
      results: Self.results.filter { $0.isa != .avx512 }, metadata: meta, events: [])
    let isaPath = URL(fileURLWithPath: path).appendingPathComponent(ResultFolder.isaFile).path
    #expect(!FileManager.default.fileExists(atPath: isaPath))
    #expect(folder.existingResultFiles() == ResultFolder.fileNames)
  }

  @Test func consoleSummaryHasTheISATableBeforeTheCountsWhenBothLevelsRan() throws {
    let lines = ConsoleSummary(results: Self.results).text.split(separator: "\n")
    let title = try #require(lines.firstIndex { $0.hasPrefix("AVX-512 against AVX2") })
    // The title, the column names, pw on 1 and on 2 threads, then the counts.
    #expect(title == lines.count - 5)
    #expect(lines.last?.hasPrefix("7 cases timed, 1 failed validation") == true)
    #expect(
      !ConsoleSummary(results: Self.results.filter { $0.isa != .avx2 }).text
        .contains("AVX-512 against AVX2"))
  }
}

extension ISAComparisonTests {
  static func folder(_ path: String, _ results: [CaseResult], _ meta: RunMetadata) throws {
    try ResultFolder.create(at: path).write(results: results, metadata: meta, events: [])
  }

  static func isaTable(_ path: String) throws -> CSVTable {
    try ResultFolder(url: URL(fileURLWithPath: path)).readTable(ResultFolder.isaFile)
  }

  static func hasISAFile(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path + "/" + ResultFolder.isaFile)
  }

  /// Two folders of one machine that split the variants between them (AVX2 in one, AVX-512
  /// in the other, so neither has an `isa.csv`): the merged folder's `isa.csv` is rebuilt from
  /// the merged results and compares them.
  @Test func mergeRebuildsTheISARowsFromTheMergedResults() throws {
    let scratch = ResultFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let meta = ResultFolderTests.metadata(completed: true)
    try Self.folder(scratch + "/avx2", Self.results.filter { $0.isa != .avx512 }, meta)
    try Self.folder(scratch + "/avx512", Self.results.filter { $0.isa == .avx512 }, meta)
    #expect(!Self.hasISAFile(scratch + "/avx2") && !Self.hasISAFile(scratch + "/avx512"))

    let out = scratch + "/merged"
    _ = try ResultMerge.merge(
      [scratch + "/avx2", scratch + "/avx512"], into: out, commandLine: ["sepbench", "merge"])
    let table = try Self.isaTable(out)
    #expect(table.header == ISAComparisonRow.header)
    #expect(table.records.map { $0["avx512_over_avx2"]! } == ["0.9", "1.1"])
    #expect(
      table.records.map { $0["avx2_variant"]! } == [
        "pw.packed-gemm.nchw", "pw.packed-gemm.nhwc.t2",
      ])
    #expect(
      table.records.map { $0["avx512_variant"]! } == [
        "pw.packed-gemm-avx512.nhwc", "pw.packed-gemm-avx512.nhwc.t2",
      ])
  }

  /// Folders of two machines: each machine's rows with its `machine` id; a replaced folder
  /// whose new merge has no case of both levels keeps no `isa.csv`.
  @Test func mergeOfTwoMachinesTagsTheISARowsAndDropsAStaleFile() throws {
    let scratch = ResultFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let here = ResultFolderTests.metadata(completed: true)
    var there = here
    there.fingerprint?.cpuModelNumber = (here.fingerprint?.cpuModelNumber ?? 0) + 16
    try Self.folder(scratch + "/here", Self.results, here)
    try Self.folder(scratch + "/there", Self.results, there)
    let out = scratch + "/merged"
    _ = try ResultMerge.merge(
      [scratch + "/here", scratch + "/there"], into: out, commandLine: ["sepbench", "merge"])
    let table = try Self.isaTable(out)
    #expect(table.header == ISAComparisonRow.header + ["machine"])
    let machines = table.records.map { $0["machine"]! }
    #expect(machines.count == 4 && Set(machines).count == 2)
    #expect(machines[0] == machines[1] && machines[2] == machines[3])

    try Self.folder(scratch + "/one", Self.results.filter { $0.isa != .avx512 }, here)
    try Self.folder(scratch + "/other", Self.results.filter { $0.isa != .avx512 }, there)
    _ = try ResultMerge.merge(
      [scratch + "/one", scratch + "/other"], into: out, replacing: true,
      commandLine: ["sepbench", "merge"])
    #expect(!Self.hasISAFile(out))
    let results = try ResultFolder(url: URL(fileURLWithPath: out)).readTable(
      ResultFolder.resultsFile)
    #expect(results.records.count == 2 * 5)
  }
}
