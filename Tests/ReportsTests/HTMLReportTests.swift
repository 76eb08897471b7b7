import ConvKernels
import Foundation
import Harness
import Reports
import TestSupport
import Testing

@Suite struct HTMLReportTests {
  static func occurrences(_ needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
  }

  /// A result folder with the sample rows of `ResultFolderTests`, a Winograd conv_block, a
  /// skipped and a failed row; `completed` as given.
  static func folder(completed: Bool = true, caseName: String = "shape, \"one\"") throws -> String {
    let path = ResultFolderTests.temporaryFolder()
    let folder = try ResultFolder.create(at: path)
    let block = try ConvProblem(descriptor: "c8h6o16k3s1p1")
    func row(
      _ op: Op, _ family: String, _ status: CaseStatus, _ samples: [Double], note: String = ""
    )
      -> CaseResult
    {
      CaseResult(
        suite: "t", caseName: caseName, op: op, family: family, layout: .nhwc, threads: 1,
        blockProblem: block, status: status, note: note, iterations: samples.isEmpty ? 0 : 4,
        samples: samples, maxAbsError: status == .skipped ? nil : 1e-7)
    }
    var winograd = row(.convBlock, "winograd-f4x4", .ok, [400, 420, 410])
    winograd.algorithm = .winograd
    let results = [
      row(.convBlock, "naive", .ok, [1000, 1100, 900]),
      winograd,
      row(.sepBlock, "naive", .ok, [300, 250, 260]),
      row(.dw, "naive", .ok, [50, 60, 55]),
      row(.pw, "naive", .ok, [150, 160, 170]),
      row(.dw, "simd8", .skipped, [], note: "needs CPU features avx2 that this CPU lacks"),
      row(.pw, "tiled", .failed, [], note: "max error 0.5 > tolerance 1e-4 <b>"),
    ]
    try folder.write(
      results: results, metadata: ResultFolderTests.metadata(completed: completed), events: [])
    return path
  }

  @Test func everyTimedCaseIsAPointAndEveryTimedVariantABar() throws {
    let path = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let html = try HTMLReport(paths: [path]).html
    #expect(Self.occurrences("class=\"point\"", in: html) == 5)
    #expect(Self.occurrences("class=\"bar\"", in: html) == 5)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(!html.contains("<script"))
    // Nothing is loaded: the only URLs are the SVG namespace names.
    #expect(
      Self.occurrences("http", in: html)
        == Self.occurrences("xmlns=\"http://www.w3.org/2000/svg\"", in: html))
    // Every chart has a title, a description and a table of its numbers.
    let charts = Self.occurrences("role=\"img\"", in: html)
    #expect(charts >= 4)
    #expect(Self.occurrences("<desc id=", in: html) == charts)
    #expect(Self.occurrences("<summary>Numbers of this chart</summary>", in: html) == charts)
    // The Winograd baseline is named, and the untimed rows are listed with their reasons.
    #expect(html.contains("measured against best (winograd)"))
    #expect(html.contains("needs CPU features avx2 that this CPU lacks"))
    #expect(html.contains("max error 0.5 &gt; tolerance 1e-4 &lt;b&gt;"))
    #expect(!html.contains("class=\"banner\""))
    // No counters: the reason instead of an empty chart.
    #expect(html.contains("No counter values in this run"))
  }

  @Test func textFromTheFilesIsEscaped() throws {
    let path = try Self.folder(caseName: "<script>alert(1)</script>")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let html = try HTMLReport(paths: [path]).html
    #expect(!html.contains("<script>alert"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
  }

  @Test func anUnfinishedRunIsRenderedWithABanner() throws {
    let path = try Self.folder(completed: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let html = try HTMLReport(paths: [path]).html
    #expect(html.contains("class=\"banner\""))
    #expect(html.contains("This run did not finish"))
    #expect(Self.occurrences("class=\"point\"", in: html) == 5)
  }

  @Test func unknownColumnsAreIgnoredAndMissingRequiredOnesRefused() throws {
    let path = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let results = URL(fileURLWithPath: path).appendingPathComponent("results.csv")
    let table = try CSVTable(contentsOf: results)
    var writer = CSVWriter(header: table.header + ["future_column"])
    for row in table.rows { writer.append(row + ["x"]) }
    try writer.text.write(to: results, atomically: true, encoding: .utf8)
    #expect(Self.occurrences("class=\"point\"", in: try HTMLReport(paths: [path]).html) == 5)

    let status = table.header.firstIndex(of: "status")!
    var missing = CSVWriter(
      header: table.header.enumerated().filter { $0.offset != status }.map(\.element))
    for row in table.rows {
      missing.append(row.enumerated().filter { $0.offset != status }.map(\.element))
    }
    try missing.text.write(to: results, atomically: true, encoding: .utf8)
    #expect(throws: CSVError.missingColumn("status", file: results.path)) {
      try HTMLReport(paths: [path])
    }
  }

  @Test func aFolderThatIsNotAResultFolderIsRefused() throws {
    let scratch = RegressionFixture.scratchFolder()
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    #expect(
      throws: RegressionInputError.notAResultFolder(
        path: scratch.path, reason: "meta.json is missing (and there is no compare.csv)")
    ) { try HTMLReport(paths: [scratch.path]) }
  }

  /// A compare folder: one point per compared case, coloured by verdict, worst first.
  @Test func aCompareFolderShowsItsVerdicts() throws {
    let scratch = RegressionFixture.scratchFolder()
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    try FileManager.default.copyItem(
      at: RegressionFixture.root.appendingPathComponent("expected-compare.csv"),
      to: scratch.appendingPathComponent("compare.csv"))
    let html = try HTMLReport(paths: [scratch.path]).html
    let table = try CSVTable(contentsOf: scratch.appendingPathComponent("compare.csv"))
    let withRatio = table.records.filter { !($0["ratio"] ?? "").isEmpty }
    #expect(Self.occurrences("class=\"verdict ", in: html) == withRatio.count)
    #expect(html.contains("class=\"verdict regression\""))
    #expect(html.contains("class=\"verdict improvement\""))
    #expect(html.contains("failed validation in HEAD"))
    // Worst first: the 25 % regression comes before the 25 % improvement.
    let regression = html.range(of: "class=\"verdict regression\"")!.lowerBound
    let improvement = html.range(of: "class=\"verdict improvement\"")!.lowerBound
    #expect(regression < improvement)
  }

  /// The committed mobilenet-v1 run: one point per ok row, and a page of a few hundred KiB.
  @Test func aFullSuiteRunStaysSmall() throws {
    let path = RegressionFixture.root.deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Results/2026-12-01-amd-epyc-f25m1").path
    let html = try HTMLReport(paths: [path]).html
    let table = try CSVTable(contentsOf: URL(fileURLWithPath: path + "/results.csv"))
    let ok = table.records.filter { $0["status"] == "ok" }.count
    #expect(ok > 500)
    #expect(Self.occurrences("class=\"point\"", in: html) == ok)
    #expect(Self.occurrences("class=\"bar\"", in: html) == ok)
    #expect(html.utf8.count < 3_000_000, "\(html.utf8.count) bytes")
  }
}

@Suite struct HTMLReportPairTests {
  /// Two result folders: a comparison section of the second against the first; operator by
  /// operator when another tool wrote one (here: the fixture relabelled as a peer).
  @Test func twoResultFoldersAreComparedCaseByCase() throws {
    let html = try HTMLReport(paths: [
      RegressionFixture.path("base/block-001"), RegressionFixture.path("head/block-001"),
    ]).html
    #expect(html.contains("Comparison: \(RegressionFixture.path("head/block-001")) against"))
    #expect(html.contains("class=\"verdict regression\""))
    #expect(html.contains("dw.naive.nchw"))
  }

  @Test func aPeerFolderIsComparedOperatorByOperator() throws {
    let scratch = RegressionFixture.scratchFolder()
    let peer = try RegressionFixture.copy("head/block-001", into: scratch)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let meta = peer.appendingPathComponent("meta.json")
    let text = try String(contentsOf: meta, encoding: .utf8)
      .replacingOccurrences(of: "\"tool\" : \"sepbench\"", with: "\"tool\" : \"onnxruntime-peer\"")
    try text.write(to: meta, atomically: true, encoding: .utf8)
    let html = try HTMLReport(paths: [RegressionFixture.path("base/block-001"), peer.path]).html
    #expect(html.contains("fastest variant per operator"))
    #expect(html.contains("dw.best.any"))
    // One verdict per operator (dw, pw), not one per variant.
    #expect(HTMLReportTests.occurrences("class=\"verdict ", in: html) == 2)
  }
}
