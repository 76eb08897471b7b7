import Foundation
import TestSupport
import Testing

/// `--metric instructions` from the command line: what it refuses, and, where valgrind is
/// installed, real counts from callgrind that repeat from process to process.
@Suite struct InstructionMetricTests {
  static let valgrindInstalled = ["/usr/bin/valgrind", "/usr/local/bin/valgrind"].contains {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  static func scratch() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-instructions-\(UUID().uuidString)")
  }

  @Test func instructionsAreCountedOnOneThreadOnly() throws {
    let result = try SepbenchProcess.run([
      "run", "--shape", "c8h9o8k3s1p1", "--metric", "instructions", "--threads", "1,2",
    ])
    #expect(result.exitCode == 2)
    #expect(
      result.stderrLines == [
        "error: --threads 1,2 is not allowed with --metric instructions; instructions are counted on one thread (use 1)"
      ])
  }

  @Test func noOtherCounterIsReadWhileCountingInstructions() throws {
    let result = try SepbenchProcess.run([
      "run", "--shape", "c8h9o8k3s1p1", "--metric", "instructions", "--events", "PAPI_TOT_CYC",
    ])
    #expect(result.exitCode == 2)
    #expect(
      result.stderrLines == [
        "error: --events PAPI_TOT_CYC is not allowed with --metric instructions, which reads no other counter; use none"
      ])
  }

  @Test func withoutValgrindTheRunSaysWhatToInstallAndWritesNothing() throws {
    let out = Self.scratch()
    let result = try SepbenchProcess.run(
      [
        "run", "--shape", "c8h9o8k3s1p1", "--metric", "instructions",
        "--instruction-counter", "callgrind", "--out", out.path,
      ], environment: ["PATH": "/nonexistent"])
    #expect(result.exitCode == 2)
    #expect(
      result.stderrLines == [
        "error: --metric instructions needs valgrind here and none is on PATH; install it (Debian: apt-get install valgrind)"
      ])
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func untilDecidedHasNothingToDecideOnCounts() throws {
    let result = try SepbenchProcess.run([
      "ab", "--base", "/bin/true", "--head", "/bin/true", "--metric", "instructions",
      "--until-decided",
    ])
    #expect(result.exitCode == 2)
    #expect(
      result.stderrLines == [
        "error: --until-decided is not allowed with --metric instructions: counts repeat, so more blocks decide nothing"
      ])
  }

  /// Two A/B blocks of the built binary against itself under callgrind: every case counted,
  /// the counts equal on both sides (so unchanged, exit 0), and the arithmetic visible in
  /// them (the naive depthwise loop costs more instructions than the SIMD one).
  @Test(.enabled(if: valgrindInstalled, "valgrind is not installed"))
  func callgrindCountsRepeatAcrossProcessesAndCompareAsUnchanged() throws {
    let binary = try SepbenchProcess.binary().path
    let out = Self.scratch()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try SepbenchProcess.run([
      "ab", "--base", binary, "--head", binary, "--metric", "instructions", "--shape",
      "c8h9w7o16k3s1p1", "--ops", "dw,pw", "--variants", "naive,simd8,packed-gemm",
      "--layouts", "nhwc", "--out", out.path,
    ])
    #expect(result.exitCode == 0, "\(result.stderr)")
    let csv = try String(contentsOf: out.appendingPathComponent("compare.csv"), encoding: .utf8)
    let rows = csv.split(separator: "\n").dropFirst()
    #expect(rows.count == 4, "dw naive and simd8, pw naive and packed-gemm: \(csv)")
    #expect(
      rows.allSatisfy { $0.contains(",instructions:callgrind,") && $0.contains(",unchanged,") })
    let counts = try String(
      contentsOf: out.appendingPathComponent("base/block-001/instructions.csv"), encoding: .utf8)
    var byVariant: [String: Double] = [:]
    for line in counts.split(separator: "\n").dropFirst() {
      let cells = line.split(separator: ",")
      byVariant["\(cells[3]).\(cells[4])"] = Double(cells[7])
      #expect(cells[9] == "callgrind")
    }
    #expect(byVariant.count == 4)
    #expect((byVariant["dw.naive"] ?? 0) > 4 * (byVariant["dw.simd8"] ?? .infinity))
    #expect((byVariant["pw.naive"] ?? 0) > 4 * (byVariant["pw.packed-gemm"] ?? .infinity))
  }
}

@Suite struct BlockCountOptionTests {
  @Test(arguments: [
    ["ab", "--base", "/bin/true", "--head", "/bin/true"], ["calibrate", "--out", "x"],
  ])
  func tooFewPairsAreBadInputWithOneLine(command: [String]) throws {
    let result = try SepbenchProcess.run(command + ["--blocks", "3"])
    #expect(result.exitCode == 2)
    #expect(result.stderrLines.count == 1)
    #expect(
      result.stderrLines.first?.hasPrefix("error: --blocks 3 is not allowed; use 8 to 1000 pairs")
        == true)
  }

  @Test func calibratingCountsIsRefused() throws {
    let result = try SepbenchProcess.run(["calibrate", "--out", "x", "--metric", "instructions"])
    #expect(result.exitCode == 2)
    #expect(
      result.stderrLines == [
        "error: --metric instructions is not allowed here: calibrate measures timing noise, and counts have none"
      ])
  }
}
