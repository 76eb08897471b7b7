import Foundation
import Harness
import TestSupport
import Testing

@Suite struct ABTurnsTests {
  static let tinyRun = [
    "--shape", "c8h9o8k3s1p1", "--ops", "dw", "--variants", "naive", "--layouts", "nhwc",
    "--repetitions", "3", "--min-time", "100us", "--no-ceilings", "--events", "none",
  ]

  static func scratch() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("sepbench-turns-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test(.timeLimit(.minutes(1)))
  func whenOneRunOfAPairFailsTheOtherIsStoppedNotLeftWaiting() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifos = try TurnFIFOs()
    defer { fifos.remove() }
    let sepbench = BlockRunner(binary: try SepbenchProcess.binary().path)
    let broken = BlockRunner(binary: "/bin/false")
    #expect {
      try BlockRunner.runTogether(
        [
          (
            broken, [], folder.appendingPathComponent("a").path,
            folder.appendingPathComponent("a.log").path
          ),
          (
            sepbench, Self.tinyRun + ["--turn-fifos", fifos.channel(.second).argument],
            folder.appendingPathComponent("b").path, folder.appendingPathComponent("b.log").path
          ),
        ], fifos: fifos)
    } throws: { error in
      "\(error)".hasPrefix("'/bin/false' exited 1 in \(folder.path)/a")
    }
  }

  @Test(.timeLimit(.minutes(1)))
  func whenOneRunEndsWithoutTakingTurnsTheOtherFinishesAlone() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifos = try TurnFIFOs()
    defer { fifos.remove() }
    let sepbench = BlockRunner(binary: try SepbenchProcess.binary().path)
    let out = folder.appendingPathComponent("b")
    try BlockRunner.runTogether(
      [
        (
          BlockRunner(binary: "/bin/true"), [], folder.appendingPathComponent("a").path,
          folder.appendingPathComponent("a.log").path
        ),
        (
          sepbench, Self.tinyRun + ["--turn-fifos", fifos.channel(.first).argument], out.path,
          folder.appendingPathComponent("b.log").path
        ),
      ], fifos: fifos)
    let results = try String(
      contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
    #expect(results.contains(",dw,naive,nhwc,1,"))
  }

  @Test(arguments: [
    (
      ["--turn-fifos", "sideways,/a,/b"],
      "error: --turn-fifos sideways,/a,/b is not allowed; use ROLE,TO_SECOND,TO_FIRST with ROLE first or second"
    ),
    (
      ["--turn-fifos", "first,/nonexistent/x,/nonexistent/y"],
      "error: cannot open the turn FIFO /nonexistent/x: No such file or directory"
    ),
    (
      ["--turn-fifos", "first,/a,/b", "--metric", "instructions"],
      "error: --turn-fifos is not allowed with --metric instructions; counts need no turns"
    ),
  ])
  func badTurnArgumentsAreRefusedInOneLine(arguments: [String], message: String) throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    var run =
      ["run"] + Self.tinyRun + arguments + ["--out", folder.appendingPathComponent("r").path]
    if arguments.contains("instructions") {
      run.removeAll { ["--repetitions", "3", "--min-time", "100us", "--no-ceilings"].contains($0) }
    }
    let result = try SepbenchProcess.run(run)
    #expect(result.exitCode == 2)
    #expect(result.stderrLines == [Substring(message)])
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("r").path))
  }

  @Test func aCPUOutsideTheAllowedSetIsRefused() throws {
    let result = try SepbenchProcess.run(["run"] + Self.tinyRun + ["--pin-cpu", "1000"])
    let allowed = CPUAffinity.allowed().map(String.init).joined(separator: ",")
    #expect(result.exitCode == 2)
    #expect(
      result.stderrLines == [
        "error: --pin-cpu 1000 is not allowed; use one of the CPUs this process may run on: \(allowed)"[
          ...]
      ])
  }
}

@Suite struct FixedThreadsTests {
  /// `--fixed-threads` is recorded in the plan (so `check` replays it), and no two-thread row
  /// says it ran on one thread. Without it, whether one thread wins is a timing matter; the
  /// choice itself is tested on kernels of known duration (`ThreadSplitChoiceTests`).
  @Test func fixedThreadsIsRecordedAndEveryTwoThreadRowForks() throws {
    let out = FileManager.default.temporaryDirectory
      .appendingPathComponent("sepbench-fixed-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try SepbenchProcess.run([
      "run", "--shape", "c16h9o16k3s1p1", "--ops", "dw", "--variants", "simd8", "--threads",
      "1,2", "--min-time", "100us", "--repetitions", "3", "--no-ceilings", "--events", "none",
      "--fixed-threads", "--out", out.path,
    ])
    #expect(result.exitCode == 0, "\(result.stderr)")
    let meta = try String(contentsOf: out.appendingPathComponent("meta.json"), encoding: .utf8)
    #expect(meta.contains("\"fixedThreads\" : true"))
    let results = try String(
      contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
    #expect(results.contains("dw.simd8.nhwc.t2"))
    #expect(!results.contains("ran on 1 thread"))
  }
}
