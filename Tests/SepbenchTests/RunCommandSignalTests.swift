import Foundation
import TestSupport
import Testing

/// `sepbench run` stopped by a signal, or with nobody reading its stdout.
@Suite struct RunCommandSignalTests {
  /// The records of an RFC 4180 text; nil when a quoted field is not closed.
  static func csvRecords(_ text: String) -> [[String]]? {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var characters = text.makeIterator()
    var pending = characters.next()
    while let character = pending {
      pending = characters.next()
      if quoted {
        if character == "\"" {
          if pending == "\"" {
            field.append("\"")
            pending = characters.next()
          } else {
            quoted = false
          }
        } else {
          field.append(character)
        }
      } else if character == "\"" {
        quoted = true
      } else if character == "," {
        record.append(field)
        field = ""
      } else if character == "\n" {
        records.append(record + [field])
        record = []
        field = ""
      } else {
        field.append(character)
      }
    }
    return quoted || !record.isEmpty || !field.isEmpty ? nil : records
  }

  @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
  func stopSignalLeavesTheFinishedShapesMarkedIncomplete(signal: Int32) throws {
    let out = RunCommandTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try SepbenchProcess.start(
      ["run", "--suite", "quick", "--out", out.path] + RunCommandTests.slow)
    #expect(run.waitForStderr(containing: "[1/"))  // a case is finished
    run.send(signal)
    let result = try run.wait()

    #expect(result.killedBy == nil)
    #expect(result.exitCode == 128 + signal, "\(result.stderr)")
    #expect(result.stderrLines.last?.hasPrefix("interrupted: ") == true, "\(result.stderr)")
    let meta =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: out.appendingPathComponent("meta.json"))) as! [String: Any]
    #expect(meta["completed"] as? Bool == false)
    let text = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
    let records = try #require(Self.csvRecords(text))
    #expect(records.allSatisfy { $0.count == records[0].count })
    let caseColumn = try #require(records[0].firstIndex(of: "case"))
    // Whole shapes only: every finished shape has all its 10 variants, and not all 4 finished.
    let perShape = Dictionary(grouping: records.dropFirst().map { $0[caseColumn] }, by: { $0 })
      .mapValues(\.count)
    #expect(perShape.count >= 1 && perShape.count < 4)
    #expect(perShape.values.allSatisfy { $0 == 10 })
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        == RunCommandTests.resultFiles)
  }

  @Test func interruptStopsARunStartedWithItIgnoredAsABackgroundJob() throws {
    let out = RunCommandTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try SepbenchProcess.start(
      ["run", "--suite", "quick", "--out", out.path] + RunCommandTests.slow, ignoring: [SIGINT])
    #expect(run.waitForStderr(containing: "[1/"))
    run.send(SIGINT)
    let result = try run.wait()
    #expect(result.exitCode == 130, "\(result.stderr)")
  }

  @Test func hangUpIgnoredByTheParentStaysIgnoredAsUnderNohup() throws {
    let out = RunCommandTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try SepbenchProcess.start(
      ["run", "--suite", "quick", "--ops", "dw", "--out", out.path] + RunCommandTests.slow,
      ignoring: [SIGHUP])
    #expect(run.waitForStderr(containing: "[1/"))
    run.send(SIGHUP)
    let result = try run.wait()
    #expect(result.exitCode == 0, "\(result.stderr)")
    let meta =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: out.appendingPathComponent("meta.json"))) as! [String: Any]
    #expect(meta["completed"] as? Bool == true)
  }

  @Test func closedStdoutNeitherKillsTheRunNorLosesResults() throws {
    let out = RunCommandTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try SepbenchProcess.run(
      ["run", "--suite", "quick", "--out", out.path] + RunCommandTests.fast, stdout: .closedPipe)
    #expect(result.killedBy == nil)
    #expect(result.exitCode == 0, "\(result.stderr)")
    let meta =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: out.appendingPathComponent("meta.json"))) as! [String: Any]
    #expect(meta["completed"] as? Bool == true)
    let results = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
    #expect(results.split(separator: "\n").count == 1 + 4 * 10)  // header + 4 shapes x 10
  }
}
