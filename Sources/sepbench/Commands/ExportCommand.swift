import ArgumentParser
import Foundation
import Reports

/// `sepbench export DIR --format gbench-json`: a result folder in a format other tools read.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a result folder in a format other benchmark tools read.",
    discussion: """
      gbench-json: Google Benchmark's JSON output (--benchmark_format=json), readable by its \
      tools/compare.py. One benchmark per timed case, named <case>/<variant_id>; one \
      iteration entry per sample (real_time in ns per iteration), then the mean, median and \
      stddev aggregates. cpu_time repeats real_time: sepbench measures wall-clock time only.
      """)

  /// Output formats.
  enum Format: String, CaseIterable, ExpressibleByArgument {
    case gbenchJSON = "gbench-json"
  }

  @Argument(help: "A result folder written by `sepbench run`.")
  var folder: String

  @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: Format

  @Option(help: "Write to this file (atomically) instead of standard output.")
  var out: String?

  func run() throws {
    let text: String
    switch format {
    case .gbenchJSON: text = try GBenchReport(folder: folder).json
    }
    if let out {
      try AtomicFile.write(text, to: URL(fileURLWithPath: out))
    } else {
      print(text, terminator: "")
    }
  }
}

extension GBenchExportError: BadInput {}
