import Foundation
import TestSupport
import Testing

/// Headless Chromium, when installed (Debian: chromium; `Scripts/setup chromium`).
private let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

/// `sepbench report` of the committed mobilenet-v1 run, rendered by a real browser.
@Suite(.enabled(if: chromium != nil, "needs chromium"), .serialized)
struct ReportBrowserTests {
  static let results = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Results/2026-12-01-amd-epyc-f25m1")

  /// Runs chromium headless on `page` with `arguments`; returns (status, stdout, stderr).
  static func browse(_ page: URL, _ arguments: [String]) throws -> (Int32, String, String) {
    let result = try ScriptProcess.run(
      chromium!,
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--enable-logging=stderr", "--v=0",
        "--user-data-dir=\(page.deletingLastPathComponent().path)/profile",
      ] + arguments + [page.absoluteString])
    return (result.status, result.stdout, result.stderr)
  }

  @Test func theReportRendersWithOnePointPerCaseAndNoConsoleErrors() throws {
    let scratch = RegressionFixture.scratchFolder()
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let page = scratch.appendingPathComponent("report.html")
    let made = try SepbenchProcess.run(["report", Self.results.path, "--out", page.path])
    #expect(made.exitCode == 0, "\(made.stderr)")

    let table = try String(
      contentsOf: Self.results.appendingPathComponent("results.csv"), encoding: .utf8)
    let ok = table.split(separator: "\n").filter { $0.contains(",ok,") }.count

    let (status, dom, log) = try Self.browse(page, ["--dump-dom"])
    #expect(status == 0, "\(log)")
    #expect(dom.components(separatedBy: "class=\"point\"").count - 1 == ok)
    #expect(dom.components(separatedBy: "class=\"bar\"").count - 1 == ok)
    #expect(!log.contains("CONSOLE"), "\(log)")

    let png = scratch.appendingPathComponent("report.png")
    let shot = try Self.browse(page, ["--screenshot=\(png.path)", "--window-size=1200,1600"])
    #expect(shot.0 == 0, "\(shot.2)")
    let image = try Data(contentsOf: png)
    #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    // A blank 1200x1600 page compresses to a few KiB; charts and text take far more.
    #expect(image.count > 50_000, "\(image.count) bytes")
  }
}
