import Foundation
import Reports
import TestSupport
import Testing

/// `sepbench export`, run as a subprocess.
@Suite struct ExportCommandTests {
  @Test func gbenchJSONGoesToTheOutFileAndMatchesTheLibrary() throws {
    let scratch = RegressionFixture.scratchFolder()
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let folder = RegressionFixture.path("base/block-001")
    let out = scratch.appendingPathComponent("run.json")
    let result = try SepbenchProcess.run([
      "export", folder, "--format", "gbench-json", "--out", out.path,
    ])
    #expect(result.exitCode == 0, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(try String(contentsOf: out, encoding: .utf8) == GBenchReport(folder: folder).json)
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["run.json"])
  }

  @Test(arguments: [
    (
      ["export", "/nonexistent/run", "--format", "gbench-json"],
      "error: '/nonexistent/run' is not a sepbench result folder: no such folder"
    ),
    (
      ["export", RegressionFixture.path("base"), "--format", "gbench-json"],
      "error: \(RegressionFixture.path("base")) holds block folders (an A/B session); export one block, e.g. \(RegressionFixture.path("base"))/block-001"
    ),
  ])
  func badFoldersExitTwoWithOneLine(arguments: [String], message: String) throws {
    let result = try SepbenchProcess.run(arguments)
    #expect(result.exitCode == 2)
    #expect(result.stderr == message + "\n")
    #expect(result.stdout.isEmpty)
  }

  @Test func unknownFormatIsRefused() throws {
    let result = try SepbenchProcess.run([
      "export", RegressionFixture.path("base/block-001"), "--format", "csv",
    ])
    #expect(result.exitCode == 64 || result.exitCode == 2)
    #expect(result.stderr.contains("gbench-json"))
  }
}
