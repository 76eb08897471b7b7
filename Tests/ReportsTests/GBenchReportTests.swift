import Foundation
import Harness
import Reports
import TestSupport
import Testing

/// Google Benchmark's `tools/compare.py` (Debian: libbenchmark-tools) and a Python that can
/// run its U test (SciPy), when both are here.
private let compareTool: (python: String, script: String)? = {
  let script = "/usr/share/benchmark/compare.py"
  guard FileManager.default.fileExists(atPath: script) else { return nil }
  for python in ["/usr/bin/env python3", "/usr/bin/python3"] {
    let parts = python.split(separator: " ").map(String.init)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: parts[0])
    process.arguments = Array(parts.dropFirst()) + ["-c", "import scipy, numpy"]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { continue }
    process.waitUntilExit()
    if process.terminationStatus == 0 { return (python, script) }
  }
  return nil
}()

@Suite struct GBenchReportTests {
  static let base = RegressionFixture.path("base/block-001")
  static let head = RegressionFixture.path("head/block-001")

  /// Ten samples per case: ten iteration entries, then mean, median and stddev.
  @Test func everySampleIsAnIterationFollowedByItsAggregates() throws {
    let report = try GBenchReport(folder: Self.base)
    #expect(report.benchmarks.count == 8 * 13)
    let name = "\(RegressionFixture.caseName)/dw.naive.nchw"
    let entries = report.benchmarks.filter { $0.runName == name }
    #expect(entries.count == 13)
    #expect(entries.prefix(10).allSatisfy { $0.runType == "iteration" && $0.name == name })
    #expect(entries.prefix(10).map(\.repetitionIndex) == Array(0..<10))
    #expect(entries.map(\.aggregateName).suffix(3) == ["mean", "median", "stddev"])
    #expect(entries.suffix(3).map(\.name) == ["mean", "median", "stddev"].map { "\(name)_\($0)" })
    #expect(entries.allSatisfy { $0.cpuTime == $0.realTime && $0.timeUnit == "ns" })
    #expect(entries.allSatisfy { $0.repetitions == 10 && $0.threads == 1 })

    // The first sample and the median, from samples.csv.
    let table = try CSVTable(
      contentsOf: URL(fileURLWithPath: Self.base).appendingPathComponent("samples.csv"))
    let times = table.records.filter {
      $0["op"] == "dw" && $0["variant"] == "naive" && $0["layout"] == "nchw"
    }
    .map { Double($0["time_ns"]!)! }
    #expect(entries[0].realTime == times[0])
    #expect(entries[0].iterations == Int(table.records[0]["iters"]!))
    let sorted = times.sorted()
    #expect(entries[11].realTime == SampleStatistics(times).median)
    #expect(abs(entries[11].realTime - (sorted[4] + sorted[5]) / 2) <= 1e-9 * sorted[5])
  }

  @Test func jsonUsesGoogleBenchmarksKeysAndReadsBack() throws {
    let report = try GBenchReport(folder: Self.base)
    let json = report.json
    for key in [
      "\"context\"", "\"benchmarks\"", "\"real_time\"", "\"cpu_time\"", "\"time_unit\"",
      "\"run_type\"", "\"aggregate_name\"", "\"repetitions\"", "\"num_cpus\"",
      "\"library_build_type\"",
    ] {
      #expect(json.contains(key), "\(key)")
    }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    #expect(try decoder.decode(GBenchReport.self, from: Data(json.utf8)) == report)
  }

  @Test func foldersOfBlocksAreRefusedWithTheBlockToExport() throws {
    let folder = RegressionFixture.path("base")
    #expect(throws: GBenchExportError.blocked(path: folder)) {
      try GBenchReport(folder: folder)
    }
    #expect(
      GBenchExportError.blocked(path: folder).description
        == "\(folder) holds block folders (an A/B session); export one block, e.g. \(folder)/block-001"
    )
  }

  /// The real consumer: compare.py reads both exports and reports dw.naive.nchw 25 % slower and
  /// dw.naive.nhwc 25 % faster (the fixture's designed changes), each with its U test.
  @Test(.enabled(if: compareTool != nil, "needs compare.py (libbenchmark-tools) and SciPy"))
  func googleBenchmarksComparePyReadsTheExport() throws {
    let tool = try #require(compareTool)
    let scratch = RegressionFixture.scratchFolder()
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let baseFile = scratch.appendingPathComponent("base.json")
    let headFile = scratch.appendingPathComponent("head.json")
    try GBenchReport(folder: Self.base).json.write(to: baseFile, atomically: true, encoding: .utf8)
    try GBenchReport(folder: Self.head).json.write(to: headFile, atomically: true, encoding: .utf8)

    let parts = tool.python.split(separator: " ").map(String.init)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: parts[0])
    process.arguments =
      Array(parts.dropFirst()) + [
        tool.script, "--no-color", "benchmarks", baseFile.path, headFile.path,
      ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(text)")
    func change(_ variant: String) -> Double? {
      let line = text.split(separator: "\n").first {
        $0.hasPrefix("\(RegressionFixture.caseName)/\(variant)_median ")
      }
      return line?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
        .flatMap { Double($0) }
    }
    let slower = try #require(change("dw.naive.nchw"), "\(text)")
    let faster = try #require(change("dw.naive.nhwc"), "\(text)")
    #expect(slower > 0.2 && slower < 0.3, "\(text)")
    #expect(faster < -0.2 && faster > -0.3, "\(text)")
    #expect(text.contains("\(RegressionFixture.caseName)/dw.naive.nchw_pvalue"), "\(text)")
  }
}
