import Foundation
import Harness
import Reports
import TestSupport
import Testing

/// `Scripts/ab-network`: two builds' networks in turns, and a table whose ratios are the
/// rounds' own.
@Suite struct ABNetworkScriptTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let script = root.appendingPathComponent("Scripts/ab-network").path

  /// Every layer of MobileNetV1 in network order, then the whole network.
  static let layers =
    ["conv1"] + (1...13).map { String(format: "b%02d", $0) } + ["pool", "fc", "total"]

  /// The separable network's `layer: (median ns, variant id)` in one round's folder.
  static func medians(_ folder: URL) throws -> [String: (Double, String)] {
    let table = try CSVTable(contentsOf: folder.appendingPathComponent("network.csv"))
    var found: [String: (Double, String)] = [:]
    for record in table.records where record["model"] == "separable" {
      found[record["layer"]!] = (Double(record["time_ns_median"]!)!, record["variant_id"]!)
    }
    return found
  }

  /// The script on the small network (α 0.25, 32x32, 3 passes per round) with the same
  /// sepbench on both sides, into `out`.
  static func runSmall(_ out: URL, _ arguments: [String]) throws -> ScriptProcess.Output {
    let binary = try SepbenchProcess.binary().path
    return try ScriptProcess.run(
      script,
      [
        "--base", binary, "--head", binary, "--width", "0.25", "--resolution", "32",
        "--repetitions", "3", "--out", out.path,
      ] + arguments)
  }

  @Test func twoRoundsInTurnsGiveATableOfTheirRatios() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("ab")
    let result = try Self.runSmall(out, ["--rounds", "3"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(
      result.stderr.contains(
        "round 2 of 3: base and head in turns on 1 thread(s) (first turn: head)"))

    var ratios: [String: [Double]] = [:]
    var sameKernel: [String: Int] = [:]
    for round in 1...3 {
      for build in ["base", "head"] {
        let meta = try JSONSerialization.jsonObject(
          with: Data(contentsOf: out.appendingPathComponent("\(build)-\(round)/meta.json")))
        // Each build handed the other a turn per round of passes.
        #expect(((meta as? [String: Any])?["turnsPassed"] as? Int ?? 0) > 0)
      }
      let base = try Self.medians(out.appendingPathComponent("base-\(round)"))
      let head = try Self.medians(out.appendingPathComponent("head-\(round)"))
      for layer in Self.layers {
        ratios[layer, default: []].append(head[layer]!.0 / base[layer]!.0)
        sameKernel[layer, default: 0] += head[layer]!.1 == base[layer]!.1 ? 1 : 0
      }
    }

    let table = try String(contentsOf: out.appendingPathComponent("table.md"), encoding: .utf8)
    #expect(table == result.stdout)
    let rows = table.split(separator: "\n").filter {
      $0.hasPrefix("| ") && !$0.hasPrefix("| layer") && !$0.hasPrefix("| ---")
    }
    #expect(
      rows.map { String($0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces)) }
        == Self.layers)
    for row in rows {
      let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      let layer = cells[0]
      let expected = ratios[layer]!
      #expect(cells[3] == String(format: "%.3f", RatioEstimator.median(expected)), "\(layer)")
      #expect(cells[4] == String(format: "%.3f", expected.min()!), "\(layer)")
      #expect(cells[5] == String(format: "%.3f", expected.max()!), "\(layer)")
      #expect(cells.count == 7)
      #expect(cells.last == (layer == "total" ? "" : "\(sameKernel[layer]!) of 3"), "\(layer)")
    }

    // A second comparison into the same folder is refused, and the first one kept.
    let again = try Self.runSmall(out, [])
    #expect(again.status == 2)
    #expect(
      again.stderr
        == "error: --out '\(out.path)' already holds a comparison; give --force to replace it, or another folder\n"
    )
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("table.md").path))
  }

  @Test func badArgumentsExitTwo() throws {
    let binary = try SepbenchProcess.binary().path
    let cases: [([String], String)] = [
      (["--head", binary], "error: --base is missing; give the path of a sepbench binary\n"),
      (["--base", binary, "--rounds"], "error: --rounds needs a value\n"),
      (
        ["--base", binary, "--head", binary, "--threads", "1,2"],
        "error: --threads '1,2' is not allowed; use one thread count of 1 or more\n"
      ),
      (
        ["--base", binary, "--head", "/nonexistent/sepbench"],
        "error: --head '/nonexistent/sepbench' is not allowed; use the path of an executable sepbench binary\n"
      ),
      (
        ["--base", binary, "--head", binary, "--rounds", "0"],
        "error: --rounds '0' is not allowed; use a count of 1 or more\n"
      ),
      (
        ["--shards", "2"],
        "error: '--shards' is not allowed; use --base, --head, --width, --resolution, --threads, --rounds, --repetitions, --out, --force or -- NETWORK-OPTION...\n"
      ),
    ]
    for (arguments, message) in cases {
      let result = try ScriptProcess.run(Self.script, arguments)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr == message, "\(arguments)")
    }
  }

  /// On two threads the builds take turns unpinned, and each runs its two-thread plan.
  @Test func twoThreadsTakeTurnsToo() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("ab")
    let result = try Self.runSmall(out, ["--threads", "2", "--rounds", "1"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("round 1 of 1: base and head in turns on 2 thread(s)"))
    #expect(result.stdout.contains("in turns on 2 thread(s);"))
    for build in ["base", "head"] {
      let data = try Data(contentsOf: out.appendingPathComponent("\(build)-1/meta.json"))
      let meta = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      let plans = try #require(meta["plans"] as? [[String: Any]])
      #expect(plans.map { $0["threads"] as? Int } == [2])
      #expect((meta["turnsPassed"] as? Int ?? 0) > 0)
      #expect((meta["commandLine"] as? [String])?.contains("--pin-cpu") == false)
    }
  }

  /// A build that fails before it opens the FIFOs: the other, which would wait for its turn
  /// for ever, is stopped, and the comparison ends with the failure's status.
  @Test func aBuildThatNeverTakesItsTurnEndsTheComparison() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    // Stand-ins: the base writes its process id and waits; the head fails at once.
    let pidFile = scratch.appendingPathComponent("waiting.pid")
    let stubs = [
      ("waiting", "echo $$ > '\(pidFile.path)'\nexec sleep 60\n"),
      ("failing", "echo 'stand-in failure' >&2\nexit 3\n"),
    ]
    for (name, body) in stubs {
      let stub = scratch.appendingPathComponent(name)
      try ("#!/bin/sh\n" + body).write(to: stub, atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stub.path)
    }
    let result = try ScriptProcess.run(
      Self.script,
      [
        "--base", scratch.appendingPathComponent("waiting").path, "--head",
        scratch.appendingPathComponent("failing").path, "--rounds", "2", "--out",
        scratch.appendingPathComponent("ab").path,
      ])
    #expect(result.status == 3)
    #expect(result.stderr.contains("stand-in failure"))
    #expect(result.stderr.hasSuffix("error: round 1 failed (exit 3)\n"))
    // The waiting build is gone (unless it was stopped before it wrote its id).
    if let text = try? String(contentsOf: pidFile, encoding: .utf8),
      let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    {
      #expect(kill(pid, 0) != 0, "the waiting build \(pid) is still running")
    }
  }

  @Test func aFailingBuildEndsTheComparisonWithItsStatusAndMessage() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let result = try Self.runSmall(
      scratch.appendingPathComponent("ab"), ["--rounds", "1", "--", "--band-rows", "0"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("error: --band-rows 0 is not allowed; use 1 to 1024"))
    #expect(result.stderr.hasSuffix("error: round 1 failed (exit 2)\n"))
  }
}
