import ArgumentParser
import Foundation
import Reports

/// `sepbench report DIR… [--out report.html]`: one self-contained HTML page.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Render result folders (and compare folders) as one self-contained HTML page.",
    discussion: """
      Sections per result folder: machine and ceilings, roofline, separable against standard \
      (direct and best of any algorithm), variants, thread scaling, where the separable block \
      spends its time, counters, failed and skipped variants. A `sepbench compare --out` \
      folder adds its verdicts. Inline SVG and CSS, no scripts, no network. An unfinished \
      run is rendered with a banner saying so.
      """)

  @Argument(help: "Result folders or compare --out folders.")
  var folders: [String]

  @Option(help: "The HTML file to write (atomically).")
  var out: String = "report.html"

  func run() throws {
    let html = try HTMLReport(paths: folders).html
    try AtomicFile.write(html, to: URL(fileURLWithPath: out))
    print("Report: \(out)")
  }
}
