import Foundation
import TestSupport
import Testing

/// `sepbench compare BASE HEAD` on the committed fixture (`Tests/Fixtures/regression`), run as
/// a subprocess: exit codes, one stderr line for bad input, and the files it writes.
@Suite struct CompareCommandTests {
  static func compare(_ arguments: [String]) throws -> SepbenchOutput {
    try SepbenchProcess.run(["compare"] + arguments)
  }

  static let base = RegressionFixture.path("base")
  static let head = RegressionFixture.path("head")
  static let headNoFailure = RegressionFixture.path("head-no-failure")

  /// `output` failed as bad input: exit 2, exactly one stderr line, nothing on stdout.
  static func expectBadInput(
    _ output: SepbenchOutput, containing text: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(output.exitCode == 2, sourceLocation: sourceLocation)
    #expect(output.stderrLines.count == 1, "\(output.stderr)", sourceLocation: sourceLocation)
    #expect(output.stderr.hasPrefix("error: "), "\(output.stderr)", sourceLocation: sourceLocation)
    #expect(output.stderr.contains(text), "\(output.stderr)", sourceLocation: sourceLocation)
    #expect(output.stdout.isEmpty, "\(output.stdout)", sourceLocation: sourceLocation)
  }

  @Test func aRegressionWithoutFailedCasesExitsOne() throws {
    let output = try Self.compare([Self.base, Self.headNoFailure])
    #expect(output.exitCode == 1, "\(output.stderr)")
    #expect(output.stderr.isEmpty)
    let lines = output.stdout.split(separator: "\n")
    #expect(
      lines.first?.hasPrefix(
        "8 cases (1 regression, 1 improvement, 5 unchanged, 1 inconclusive); paired blocks")
        == true, "\(output.stdout)")
    #expect(
      lines.dropFirst(2).first?.hasPrefix(
        "regression    \(RegressionFixture.caseName) dw.naive.nchw") == true)
  }

  @Test func aCaseThatFailedValidationInHeadExitsTwoAndStillWritesEveryReport() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("out")
    let markdown = scratch.appendingPathComponent("summary.md")
    let junit = scratch.appendingPathComponent("junit.xml")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let output = try Self.compare([
      Self.base, Self.head, "--out", out.path, "--markdown", markdown.path, "--junit", junit.path,
    ])
    #expect(output.exitCode == 2, "\(output.stderr)")
    #expect(output.stdout.contains("failed validation in HEAD"))
    let csv = try Data(contentsOf: out.appendingPathComponent("compare.csv"))
    #expect(
      csv
        == (try Data(
          contentsOf: RegressionFixture.root.appendingPathComponent("expected-compare.csv"))))
    #expect(
      try String(contentsOf: markdown, encoding: .utf8).hasPrefix(
        "## sepbench: performance comparison"))
    #expect(try String(contentsOf: junit, encoding: .utf8).contains("<error type=\"incomparable\""))
  }

  @Test func thresholdsFileAndStrictDecideOnTheInconclusiveCase() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let rules = scratch.appendingPathComponent("thresholds.txt")
    try Data("variant dw.naive.nchw 30%   # the known +25 %\n".utf8).write(to: rules)
    let lenient = try Self.compare([Self.base, Self.headNoFailure, "--thresholds", rules.path])
    #expect(lenient.exitCode == 0, "\(lenient.stdout)\(lenient.stderr)")
    let strict = try Self.compare([
      Self.base, Self.headNoFailure, "--thresholds", rules.path, "--strict",
    ])
    #expect(strict.exitCode == 1, "\(strict.stdout)\(strict.stderr)")
  }

  @Test func aThresholdAboveTheChangeClearsTheRegression() throws {
    let output = try Self.compare([Self.base, Self.headNoFailure, "--threshold", "30%"])
    #expect(output.exitCode == 0, "\(output.stdout)\(output.stderr)")
  }

  @Test func unpairedPoolsTheBlocks() throws {
    let output = try Self.compare([Self.base, Self.headNoFailure, "--unpaired"])
    #expect(output.exitCode == 1, "\(output.stderr)")
    #expect(output.stdout.contains("unpaired, pooled medians, bootstrap interval"))
  }

  @Test func aMissingBaseIsBadInputAndWritesNoOutputFolder() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let missing = scratch.appendingPathComponent("no-such-base").path
    let out = scratch.appendingPathComponent("out")
    let output = try Self.compare([missing, Self.head, "--out", out.path])
    // A quoted argument over 60 characters is cut to its start (EchoedArguments), so match
    // the part after the path.
    Self.expectBadInput(output, containing: "' is not a sepbench result folder: no such folder")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func anUnfinishedBlockIsBadInputNamingAllowIncomplete() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let base = try RegressionFixture.copy("base", into: scratch)
    try RegressionFixture.edit(
      base.appendingPathComponent("block-002").appendingPathComponent("meta.json"),
      replacing: "\"completed\" : true", with: "\"completed\" : false")
    let output = try Self.compare([base.path, Self.headNoFailure])
    Self.expectBadInput(output, containing: "block-002' holds an unfinished run")
    #expect(output.stderr.contains("--allow-incomplete"))
    let allowed = try Self.compare([base.path, Self.headNoFailure, "--allow-incomplete"])
    #expect(allowed.exitCode == 1, "\(allowed.stderr)")
  }

  @Test func differentMachinesAreBadInputNamingTheDifference() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let head = try RegressionFixture.copy("head-no-failure", into: scratch)
    try RegressionFixture.editBlocks(
      of: head, file: "meta.json", replacing: "\"cpuModelNumber\" : 1,",
      with: "\"cpuModelNumber\" : 2,")
    let output = try Self.compare([Self.base, head.path])
    Self.expectBadInput(
      output, containing: "incomparable: different machine fingerprints (cpu model: 1 vs 2)")
    #expect(output.stderr.contains("--allow-different-machines"))
    let advisory = try Self.compare([Self.base, head.path, "--allow-different-machines"])
    #expect(advisory.stdout.contains("ADVISORY: different machines (cpu model: 1 vs 2)"))
    #expect(advisory.exitCode == 0, "an advisory report gates nothing")
  }

  @Test(arguments: ["abc", "0", "-5%", "5%%"])
  func aThresholdThatIsNoFractionIsBadInput(value: String) throws {
    let output = try Self.compare([Self.base, Self.headNoFailure, "--threshold=\(value)"])
    Self.expectBadInput(output, containing: "--threshold \(value) is not allowed")
  }

  @Test func aThresholdsFileWithABadLineIsBadInputNamingTheLine() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let rules = scratch.appendingPathComponent("thresholds.txt")
    try Data("default 5%\nop dw lots\n".utf8).write(to: rules)
    let output = try Self.compare([Self.base, Self.headNoFailure, "--thresholds", rules.path])
    Self.expectBadInput(output, containing: " line 2: 'op dw lots' is not '<default|op NAME")
  }
}
