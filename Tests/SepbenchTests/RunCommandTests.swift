import Foundation
import Reports
import TestSupport
import Testing

/// `sepbench run` and `validate`, run as subprocesses.
@Suite struct RunCommandTests {
  static func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-cli-\(UUID().uuidString)")
  }

  /// Fast settings: naive kernels, short samples, no calibration, no counters.
  static let fast = [
    "--variants", "naive", "--min-time", "100us", "--repetitions", "3", "--no-ceilings",
    "--events", "none",
  ]

  /// Slow settings for runs that a test stops: each quick shape takes about a second (1000
  /// repetitions bounded by a 0.25 s case budget).
  static let slow = [
    "--variants", "naive", "--min-time", "1ms", "--repetitions", "1000", "--max-case-time",
    "250ms", "--no-ceilings", "--events", "none",
  ]

  /// What a result folder holds once its run has ended.
  static let resultFiles = ["comparison.csv", "meta.json", "results.csv", "samples.csv"]

  static let badArguments: [[String]] = [
    ["--shape", "c0h5"],
    ["--shape", "c8h5o8g3"],
    ["--shape", "c8h5q3"],
    ["--shape", "c8h2k5p0"],
    ["--shape", "c100000h100000o100000"],
    ["--ops", "conv,deconv"],
    ["--variants", "naive,turbo"],
    ["--layouts", "nhcw"],
    ["--threads", "0"],
    ["--threads", "1,x"],
    ["--min-time", "0ms"],
    ["--min-time", "5"],
    ["--repetitions", "0"],
    ["--suite", "resnet"],
    ["--max-case-time", "-1s"],
    ["--bogus-option"],
  ]

  @Test(arguments: badArguments)
  func badInputExitsTwoWithOneLineAndNoFolder(arguments: [String]) throws {
    let out = Self.temporaryFolder()
    let result = try SepbenchProcess.run(["run", "--out", out.path] + Self.fast + arguments)
    #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
    #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
    #expect(result.stderr.hasPrefix("error: "))
    #expect(!FileManager.default.fileExists(atPath: out.path), "\(arguments) created the folder")
  }

  @Test func badShapeMessageNamesTheFieldAndTheAllowedRange() throws {
    let result = try SepbenchProcess.run(["run", "--shape", "c8h5o8s0"] + Self.fast)
    #expect(result.exitCode == 2)
    #expect(result.stderr.contains("stride = 0 is not allowed; stride must be between 1 and"))
  }

  @Test func fileInPlaceOfTheOutputFolderIsBadInput() throws {
    let file = Self.temporaryFolder()
    try Data("x".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try SepbenchProcess.run(
      ["run", "--suite", "quick", "--out", file.path] + Self.fast)
    #expect(result.exitCode == 2)
    #expect(result.stderr.contains("is a file, not a folder"))
    #expect(try String(contentsOf: file, encoding: .utf8) == "x")
  }

  @Test func quickRunWritesFourFilesThatAgree() throws {
    let out = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try SepbenchProcess.run(
      [
        "run", "--suite", "quick", "--ops", "dw,sep_block,conv_block", "--layouts", "nhwc", "--out",
        out.path,
      ]
        + Self.fast)
    #expect(result.exitCode == 0, "\(result.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    #expect(files == Self.resultFiles)

    let results = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
    let rows = results.split(separator: "\n")
    #expect(rows.count == 1 + 4 * 3)  // header + 4 shapes x 3 ops x 1 layout
    #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("5,quick,q.") && $0.contains(",ok,") })
    let samples = try String(contentsOf: out.appendingPathComponent("samples.csv"), encoding: .utf8)
    #expect(samples.split(separator: "\n").count == 1 + 12 * 3)
    let comparison = try String(
      contentsOf: out.appendingPathComponent("comparison.csv"), encoding: .utf8)
    #expect(comparison.split(separator: "\n").count == 1 + 4)

    let meta =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: out.appendingPathComponent("meta.json"))) as! [String: Any]
    #expect(meta["completed"] as? Bool == true)
    #expect(meta["endTime"] is String)
    #expect(result.stdout.contains("12 cases timed, 0 failed validation, 0 skipped"))
  }

  /// With ceilings measured, every timed row carries the peak measured beside it; the
  /// results read back as numbers. Without them the two columns stay empty.
  @Test func measuredCeilingsFillThePairedPeakColumns() throws {
    let out = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let withCeilings = Self.fast.filter { $0 != "--no-ceilings" }
    let result = try SepbenchProcess.run(
      ["run", "--shape", "c8h9o16k3s1p1", "--ops", "dw,pw", "--layouts", "nhwc", "--out", out.path]
        + withCeilings)
    #expect(result.exitCode == 0, "\(result.stderr)")
    let records = try CSVTable(contentsOf: out.appendingPathComponent("results.csv")).records
    #expect(records.count == 2)
    for record in records {
      let peak = try #require(Double(record["paired_peak_gflops"] ?? ""), "\(record)")
      let share = try #require(Double(record["pct_paired_peak_flops"] ?? ""), "\(record)")
      #expect(peak > 0 && share > 0)
    }

    let plain = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: plain) }
    let again = try SepbenchProcess.run(
      ["run", "--shape", "c8h9o16k3s1p1", "--ops", "dw", "--layouts", "nhwc", "--out", plain.path]
        + Self.fast)
    #expect(again.exitCode == 0, "\(again.stderr)")
    let plainRecords = try CSVTable(contentsOf: plain.appendingPathComponent("results.csv"))
      .records
    #expect(plainRecords.map { $0["pct_paired_peak_flops"] } == [""])
  }

  @Test func validateQuickPassesForNaiveVariants() throws {
    let result = try SepbenchProcess.run(["validate", "--quick", "--variants", "naive"])
    #expect(result.exitCode == 0, "\(result.stdout)")
    #expect(result.stdout.contains("ok   dw.naive.nhwc"))
    #expect(result.stdout.contains("10 variants passed, 0 failed"))
  }

  @Test func listVariantsShowsEveryOperator() throws {
    let result = try SepbenchProcess.run(["list", "variants"])
    #expect(result.exitCode == 0)
    for op in ["conv ", "dw ", "pw ", "sep_block ", "conv_block "] {
      #expect(result.stdout.contains("\n" + op), "missing \(op)")
    }
  }
}
