import Foundation
import Reports
import TestSupport
import Testing

/// Input the parser accepts but that cannot run: each ends with exit 2, one line on stderr
/// that names the value and what is allowed, and no result folder.
@Suite struct InputErrorTests {
  static func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-input-\(UUID().uuidString)")
  }

  /// Fast settings, as in `RunCommandTests`.
  static let fast = [
    "--variants", "naive", "--min-time", "100us", "--repetitions", "3", "--no-ceilings",
    "--events", "none",
  ]

  /// `run` arguments (after `--out DIR` and the fast settings) and a part of the message.
  static let badRuns: [([String], String)] = [
    (["--shape", "n1c1048576h342o1k3s1p1"], "shape n1c1048576h342w342o1k3s1p1 is too large"),
    (["--shape", "n1c1h1048576w1k3p2"], "h_out = 1048578 is not allowed; h_out must be at most"),
    (["--shape", "n64c4096h1024w1024o4096k3s1p1"], "GiB of memory; at most"),
    (["--threads", "-1"], "thread count '-1' is not allowed; use whole numbers from 1 to 256"),
    (["--threads", "2,-1"], "thread count '-1' is not allowed"),
    (["--repetitions", "-5"], "--repetitions -5 is not allowed; use 1 to 100000"),
    (["--seed", "-1"], "seed '-1' is not allowed; use a whole number from 0 to"),
    (["--max-case-time", "-1s"], "--max-case-time '-1s' is not allowed"),
    (
      ["--ops", "dw", "--variants", "packed-gemm"],
      "--variants packed-gemm selects no variant of --ops dw; families by operator: dw: naive"
    ),
    (
      ["--ops", "conv", "--variants", "direct-simd", "--layouts", "nchw"],
      "conv.direct-simd runs nhwc"
    ),
    (["--suite", "quick", "--shape", "c8h8"], "--suite quick and --shape cannot be combined"),
    (["--suite", "resnet", "--shape", "c8h8"], "--suite resnet and --shape cannot be combined"),
  ]

  @Test(arguments: badRuns)
  func badRunExitsTwoWithOneLineAndNoFolder(arguments: [String], message: String) throws {
    let out = Self.temporaryFolder()
    let result = try SepbenchProcess.run(["run", "--out", out.path] + Self.fast + arguments)
    #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
    #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
    #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.path), "\(arguments) created the folder")
  }

  @Test func validateOfAShapeTooLargeForMemorySaysHowMuchInGiB() throws {
    let result = try SepbenchProcess.run(["validate", "--shape", "n64c4096h1024w1024o4096k3s1p1"])
    #expect(result.exitCode == 2, "\(result.stderr)")
    #expect(result.stderrLines.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("GiB is allowed here"), "\(result.stderr)")
    #expect(!result.stderr.contains("9223372036854775807"))
    #expect(result.stdout.isEmpty)
  }

  @Test func validateOfASelectionWithoutVariantsIsBadInput() throws {
    let result = try SepbenchProcess.run(["validate", "--ops", "dw", "--variants", "packed-gemm"])
    #expect(result.exitCode == 2, "\(result.stderr)")
    #expect(result.stderr.contains("selects no variant of --ops dw"), "\(result.stderr)")
  }

  @Test func addressSpaceLimitSetsTheMemoryBudget() throws {
    let out = Self.temporaryFolder()
    let result = try SepbenchProcess.run(
      ["run", "--shape", "n1c8h4096o8k1p0", "--ops", "pw", "--out", out.path] + Self.fast,
      addressSpaceLimitKiB: 1_500_000)
    #expect(result.exitCode == 2, "\(result.stderr)")
    #expect(result.stderrLines.count == 1, "\(result.stderr)")
    #expect(
      result.stderr.contains("of address space left under RLIMIT_AS, ulimit -v"),
      "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func smallShapeStillRunsUnderTheSameAddressSpaceLimit() throws {
    let out = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try SepbenchProcess.run(
      ["run", "--shape", "c8h8", "--ops", "pw", "--out", out.path] + Self.fast,
      addressSpaceLimitKiB: 1_500_000)
    #expect(result.exitCode == 0, "\(result.stderr)")
  }

  @Test(arguments: [
    ("", "cannot write '': the path is empty"),
    ("/proc/x", "'/proc' is on the kernel's proc file system"),
    (
      "/tmp/" + String(repeating: "a", count: 300),
      "is 300 bytes long; a file system allows at most 255 bytes per name"
    ),
  ])
  func unusableOutPathSaysWhatIsWrongWithIt(path: String, message: String) throws {
    let result = try SepbenchProcess.run(["run", "--shape", "c8h8", "--out", path] + Self.fast)
    #expect(result.exitCode == 2, "\(result.stderr)")
    #expect(result.stderrLines.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(!result.stderr.contains("The file"), "\(result.stderr)")
  }

  @Test(arguments: ["--shape", "--variants", "--out"])
  func hugeValueIsEchoedShort(option: String) throws {
    let value = "c8h8" + String(repeating: "x", count: 100_000)
    let result = try SepbenchProcess.run(["run", "--shape", "c8h8"] + Self.fast + [option, value])
    #expect(result.exitCode == 2)
    #expect(result.stderrLines.count == 1)
    #expect(result.stderr.utf8.count < 1200, "\(result.stderr.utf8.count) bytes")
    #expect(result.stderr.contains("… (100004 characters)"), "\(result.stderr.prefix(500))")
  }

  @Test(arguments: ["perf::TASK-CLOCK", "PAPI_TOT_CYC"])
  func eventNamedTwiceGivesOneColumnThatReadsBack(event: String) throws {
    let out = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let fast = Self.fast.dropLast(2)  // keep counters on
    let result = try SepbenchProcess.run(
      ["run", "--shape", "c8h6", "--ops", "dw", "--layouts", "nhwc", "--out", out.path]
        + fast + ["--events", "\(event),\(event)"])
    #expect(result.exitCode == 0, "\(result.stderr)")
    let table = try ResultFolder(url: out).readTable(ResultFolder.resultsFile)
    #expect(table.header.filter { $0.hasPrefix("ctr_") }.count == 1, "\(table.header)")
    #expect(table.records.count == 1)
  }
}
