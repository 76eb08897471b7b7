import Foundation
import Harness

/// One `results.csv` row, as the HTML report reads it.
struct ReportRow: Sendable {
  var caseName: String
  var op: String
  var variant: String
  var layout: String
  var threads: Int
  /// The fingerprint id of a merged folder of several machines (`machine` column), else "".
  var machine: String
  var isa: String
  var algorithm: String
  var variantID: String
  var status: String
  var note: String
  var macs: Double?
  var flops: Double
  var bytesMin: Double
  /// Median ns per iteration and its 95 % interval (nil unless timed).
  var median: Double?
  var ciLow: Double?
  var ciHigh: Double?
  /// Derived counter metrics by column (`ipc`, `instructions_per_mac` …), where present.
  var metrics: [String: Double]

  var isOK: Bool { status == "ok" && median != nil }
  var gflops: Double? { median.map { flops / $0 } }
  var intensity: Double { bytesMin > 0 ? flops / bytesMin : 0 }
  /// The family × layout × ISA × threads label of the row, without the case.
  var label: String { isa.isEmpty ? variantID : "\(variantID) [\(isa)]" }
}

/// A folder given to `sepbench report`: a finished (or unfinished) result folder, or a
/// `compare --out` folder.
enum ReportInput: Sendable {
  case results(path: String, metadata: RunMetadata, rows: [ReportRow])
  case comparison(path: String, table: CSVTable)

  /// Columns a results.csv must have for the report; others are optional, unknown ones ignored.
  static let requiredColumns = [
    "case", "op", "variant", "layout", "threads", "flops", "bytes_min", "time_median_ns", "status",
  ]
  /// Columns a compare.csv must have.
  static let requiredComparisonColumns = [
    "case", "variant_id", "threads", "ratio", "ci_low", "ci_high", "verdict",
  ]
  /// Derived metrics shown in the counters section.
  static let metricColumns = [
    "ipc", "instructions_per_mac", "l1_misses_per_kmac", "l2_misses_per_kmac", "fp_ops_ratio",
  ]

  /// Reads `path`, or says in one line why it is not something the report can show.
  static func read(_ path: String) throws -> ReportInput {
    let url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue
    else {
      throw RegressionInputError.notAResultFolder(path: path, reason: "no such folder")
    }
    let compareFile = url.appendingPathComponent(RegressionReport.csvFile)
    let folder = ResultFolder(url: url)
    if FileManager.default.fileExists(atPath: compareFile.path),
      !FileManager.default.fileExists(atPath: url.appendingPathComponent("results.csv").path)
    {
      let table = try folder.readTable(RegressionReport.csvFile)
      for column in requiredComparisonColumns {
        _ = try table.column(column, file: compareFile.path)
      }
      return .comparison(path: path, table: table)
    }
    for file in [ResultFolder.metaFile, ResultFolder.resultsFile] {
      guard FileManager.default.fileExists(atPath: url.appendingPathComponent(file).path) else {
        throw RegressionInputError.notAResultFolder(
          path: path, reason: "\(file) is missing (and there is no \(RegressionReport.csvFile))")
      }
    }
    let metadata = try folder.readMetadata()
    let table = try folder.readTable(ResultFolder.resultsFile)
    let file = url.appendingPathComponent(ResultFolder.resultsFile).path
    for column in requiredColumns { _ = try table.column(column, file: file) }
    let rows = try table.records.enumerated().map { index, record in
      try row(record, line: index + 2)
    }
    return .results(path: path, metadata: metadata, rows: rows)
  }

  private static func row(_ r: [String: String], line: Int) throws -> ReportRow {
    func number(_ column: String) throws -> Double? {
      guard let text = r[column], !text.isEmpty else { return nil }
      guard let value = Double(text), value.isFinite else {
        throw CSVError.badNumber(column: column, value: text, line: line)
      }
      return value
    }
    guard let threads = Int(r["threads"]!), threads >= 1 else {
      throw CSVError.badNumber(column: "threads", value: r["threads"]!, line: line)
    }
    let id =
      r["variant_id"].flatMap { $0.isEmpty ? nil : $0 }
      ?? "\(r["op"]!).\(r["variant"]!).\(r["layout"]!)" + (threads > 1 ? ".t\(threads)" : "")
    var metrics: [String: Double] = [:]
    for column in metricColumns { metrics[column] = try number(column) }
    return ReportRow(
      caseName: r["case"]!, op: r["op"]!, variant: r["variant"]!, layout: r["layout"]!,
      threads: threads, machine: r["machine"] ?? "", isa: r["isa"] ?? "",
      algorithm: r["algorithm"] ?? "direct",
      variantID: id, status: r["status"]!, note: r["note"] ?? "", macs: try number("macs"),
      flops: try number("flops") ?? 0,
      bytesMin: try number("bytes_min") ?? 0, median: try number("time_median_ns"),
      ciLow: try number("time_median_ci_low_ns"), ciHigh: try number("time_median_ci_high_ns"),
      metrics: metrics)
  }
}
