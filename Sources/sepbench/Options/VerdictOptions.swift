import ArgumentParser
import Foundation
import Reports

/// How a comparison judges and where it writes its summaries; shared by `compare`, `check`,
/// `ab` and `calibrate`.
struct VerdictOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Band T inside which a change is noise, e.g. 5% or 0.05 (default: 5% for paired blocks, 10% unpaired).",
      valueName: "T"),
    transform: { text in
      guard let value = ThresholdRules.fraction(text) else {
        throw UsageError(
          "--threshold \(text.prefix(40)) is not allowed; use a fraction like 5% or 0.05, above 0")
      }
      return value
    })
  var threshold: Double?

  @Option(
    help: ArgumentHelp(
      "A file of per-op, per-case or per-variant thresholds (lines like 'op dw 8%').",
      valueName: "file"))
  var thresholds: String?

  @Option(
    help: ArgumentHelp(
      "noise.csv from `sepbench calibrate` (default: BASE/noise.csv when present).",
      valueName: "file"))
  var noise: String?

  @Flag(help: "Exit 1 on inconclusive cases too.")
  var strict = false

  @Flag(help: "Compare across machine fingerprints, as an advisory report.")
  var allowDifferentMachines = false

  @Flag(help: "Accept folders of unfinished runs (meta.json: completed false).")
  var allowIncomplete = false

  @Option(help: ArgumentHelp("Write a markdown summary for a CI job page.", valueName: "file"))
  var markdown: String?

  @Option(help: ArgumentHelp("Write JUnit XML (a regression is a failure).", valueName: "file"))
  var junit: String?

  /// The comparison settings; `noiseFolder` is where a default noise.csv is looked for.
  func options(noiseFolder: String?) throws -> RegressionOptions {
    var options = RegressionOptions()
    options.threshold = threshold
    options.strict = strict
    options.allowDifferentMachines = allowDifferentMachines
    if let thresholds { options.rules = try ThresholdRules(contentsOf: thresholds) }
    if let noise {
      options.noiseFloor = try NoiseFloor.read(file: URL(fileURLWithPath: noise))
    } else if let noiseFolder {
      let parent = URL(fileURLWithPath: noiseFolder).deletingLastPathComponent().path
      options.noiseFloor =
        try NoiseFloor.read(folder: noiseFolder) ?? NoiseFloor.read(folder: parent)
    }
    return options
  }

  /// Checks, before any block runs, that the summary files can be written.
  func checkWritable() throws {
    for path in [markdown, junit].compactMap({ $0 }) {
      let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
      try ResultFolder.checkWritable(parent)
    }
  }

  /// Prints the table (and GitHub annotations under GitHub Actions), writes the summaries,
  /// and ends with the report's exit status.
  func finish(_ report: RegressionReport, out: String?) throws -> Never {
    try write(report, out: out)
    Foundation.exit(report.exitStatus)
  }

  /// Prints the table (and GitHub annotations under GitHub Actions) and writes the summaries.
  func write(_ report: RegressionReport, out: String?) throws {
    print(report.table)
    if ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true" {
      for line in report.annotations() { print(line) }
    }
    if let out {
      let folder = try ResultFolder.create(at: out)
      try AtomicFile.write(
        report.csv, to: folder.url.appendingPathComponent(RegressionReport.csvFile))
    }
    if let markdown { try AtomicFile.write(report.markdown(), to: URL(fileURLWithPath: markdown)) }
    if let junit { try AtomicFile.write(report.junit, to: URL(fileURLWithPath: junit)) }
  }
}
