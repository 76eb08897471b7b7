import Foundation
import TestSupport
import Testing

/// `sepbench run` and its result folder: earlier results are never lost by accident, one run
/// per folder, a default name per run, nothing left behind by a failed start.
@Suite struct RunCommandFolderTests {
  /// Names and bytes of every file in `folder`, hidden ones included.
  static func snapshot(_ folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
      files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
    }
    return files
  }

  static func quickRun(_ out: URL, _ extra: [String] = []) throws -> SepbenchOutput {
    try SepbenchProcess.run(
      ["run", "--suite", "quick", "--out", out.path] + RunCommandTests.fast + extra)
  }

  @Test func secondRunIntoAFinishedFolderIsRefusedNamingForceAndChangesNothing() throws {
    let out = RunCommandTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let first = try Self.quickRun(out)
    #expect(first.exitCode == 0, "\(first.stderr)")
    let before = try Self.snapshot(out)

    let second = try Self.quickRun(out)
    #expect(second.exitCode == 2)
    #expect(second.stderrLines.count == 1, "\(second.stderr)")
    #expect(second.stderr.contains("already holds the finished results of an earlier run"))
    #expect(second.stderr.contains("--force"))
    #expect(try Self.snapshot(out) == before)
  }

  @Test func forceReplacesTheResultsOfAnEarlierRun() throws {
    let out = RunCommandTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    #expect(try Self.quickRun(out, ["--ops", "dw"]).exitCode == 0)

    let forced = try Self.quickRun(out, ["--ops", "pw", "--force"])
    #expect(forced.exitCode == 0, "\(forced.stderr)")
    let meta =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: out.appendingPathComponent("meta.json"))) as! [String: Any]
    #expect(meta["completed"] as? Bool == true)
    #expect((meta["commandLine"] as? [String])?.contains("--force") == true)
    let results = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
    let ops = Set(results.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[3] })
    #expect(ops == ["pw"])
    #expect(try Self.snapshot(out).keys.sorted() == RunCommandTests.resultFiles)
  }

  @Test func runIntoAFolderAnotherRunIsWritingIsRefusedEvenWithForce() throws {
    let out = RunCommandTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let holder = try SepbenchProcess.start(
      ["run", "--suite", "quick", "--out", out.path] + RunCommandTests.slow)
    #expect(holder.waitForStderr(containing: "[1/"))

    let second = try Self.quickRun(out, ["--force"])
    holder.send(SIGINT)
    let first = try holder.wait()
    #expect(second.exitCode == 2)
    #expect(second.stderrLines.count == 1, "\(second.stderr)")
    #expect(
      second.stderr.contains("is in use by another sepbench run (pid \(holder.processIdentifier))"))
    #expect(first.exitCode == 130, "\(first.stderr)")
  }

  @Test func runsStartedTogetherWithoutOutGetAFolderEach() throws {
    let cwd = RunCommandTests.temporaryFolder()
    try FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: cwd) }
    let arguments = ["run", "--suite", "quick", "--ops", "dw"] + RunCommandTests.fast
    let runs = try (0..<2).map { _ in try SepbenchProcess.start(arguments, in: cwd) }
    let outputs = try runs.map { try $0.wait() }
    #expect(outputs.map(\.exitCode) == [0, 0], "\(outputs.map(\.stderr))")
    let parent = cwd.appendingPathComponent("sepbench-results")
    let folders = try FileManager.default.contentsOfDirectory(atPath: parent.path)
    #expect(folders.count == 2, "\(folders)")
    for folder in folders {
      #expect(
        try Self.snapshot(parent.appendingPathComponent(folder)).keys.sorted()
          == RunCommandTests.resultFiles)
    }
  }

  @Test func failedOutCreationRemovesTheFoldersItMade() throws {
    let base = RunCommandTests.temporaryFolder()
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: base) }
    // `made` can be created; the 300-byte name below it cannot (NAME_MAX is 255).
    let out = base.appendingPathComponent("made").appendingPathComponent(
      String(repeating: "x", count: 300))
    let result = try Self.quickRun(out)
    #expect(result.exitCode == 2)
    #expect(result.stderrLines.count == 1, "\(result.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == [])
  }

  @Test func temporaryFilesOfAKilledWriterAreRemoved() throws {
    let out = RunCommandTests.temporaryFolder()
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: out) }
    for name in [".results.csv.tmp-4242", ".meta.json.tmp-17"] {
      try Data("half a file".utf8).write(to: out.appendingPathComponent(name))
    }
    let result = try Self.quickRun(out, ["--ops", "dw"])
    #expect(result.exitCode == 0, "\(result.stderr)")
    #expect(try Self.snapshot(out).keys.sorted() == RunCommandTests.resultFiles)
  }
}
