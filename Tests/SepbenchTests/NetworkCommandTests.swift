import Foundation
import Reports
import TestSupport
import Testing

/// `sepbench network`, run as a subprocess on a small MobileNetV1 (α 0.25, 32x32: tuning and
/// timing take about a second).
@Suite struct NetworkCommandTests {
  static func scratch() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-network-\(UUID().uuidString)")
  }

  static let small = [
    "network", "mobilenet-v1", "--width", "0.25", "--resolution", "32", "--repetitions", "3",
    "--warm-up", "1ms",
  ]

  @Test func writesEveryStageOfEveryNetworkAndTheTotals() throws {
    let out = Self.scratch()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try SepbenchProcess.run(Self.small + ["--threads", "1,2", "--out", out.path])
    #expect(result.exitCode == 0, "\(result.stderr)")
    let table = try CSVTable(
      parsing: String(contentsOf: out.appendingPathComponent("network.csv"), encoding: .utf8))
    #expect(table.header == NetworkTable.header)
    let records = table.records
    let totals = records.filter { $0["layer"] == "total" }
    #expect(
      totals.map { "\($0["model"]!)/\($0["threads"]!)" }.sorted() == [
        "separable/1", "separable/2", "standard/1", "standard/2", "winograd/1", "winograd/2",
      ])
    for total in totals {
      let stages = records.filter {
        $0["model"] == total["model"] && $0["threads"] == total["threads"] && $0["layer"] != "total"
      }
      // conv1, b01-b13, pool, fc, and the reorder of the input when the network runs NHWC
      // with an NHWC stem; a stem that reads the NCHW image itself needs none.
      let reorder = stages.first { $0["layer"] == "reorder" }
      let stem = try #require(stages.first { $0["layer"] == "conv1" })
      #expect(stages.count == 16 + (reorder == nil ? 0 : 1))
      #expect(total["layout"] == "nhwc" || reorder == nil)
      #expect(
        (total["layout"] == "nhwc" && reorder == nil)
          == stem["variant_id"]!.hasPrefix("conv_block.planar-"), "\(stem)")
      #expect(reorder.map { Double($0["alone_time_ns"]!) != nil } ?? true, "timed alone")
      let shares = stages.compactMap { Double($0["share"]!) }.reduce(0, +)
      #expect(abs(shares - 1) < 0.001, "\(total)")
      #expect(total["samples"] == "3")
    }
    let separable = try #require(
      totals.first { $0["model"] == "separable" && $0["threads"] == "1" })
    // The total of `sepbench model mobilenet-v1 --width 0.25 --resolution 32`.
    #expect(separable["macs"] == "1088128")
    let standard = try #require(totals.first { $0["model"] == "standard" && $0["threads"] == "1" })
    #expect(Double(standard["mult_ratio"]!)! > 5)
    #expect(Double(standard["speedup_of_separable"]!) != nil)
    #expect(separable["speedup_of_separable"] == "")

    let meta =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: out.appendingPathComponent("meta.json"))) as! [String: Any]
    #expect(meta["kind"] as? String == "network")
    let plans = try #require(meta["plans"] as? [[String: Any]])
    #expect(plans.count == 6)
    #expect(plans.allSatisfy { ($0["stages"] as? [Any])?.count == 15 })
    let checks = try #require(meta["validation"] as? [[String: Any]])
    #expect(checks.count == 6 && checks.allSatisfy { $0["passed"] as? Bool == true })
    let tuning = try CSVTable(
      parsing: String(contentsOf: out.appendingPathComponent("tuning.csv"), encoding: .utf8))
    #expect(tuning.records.contains { $0["status"] == "ok" && $0["op"] == "sep_block" })
    #expect(result.stdout.contains("separable network, 1 thread(s)"))
    #expect(result.stdout.contains("time per stage"))
  }

  @Test func takesLayerTimesFromARunFolder() throws {
    let out = Self.scratch()
    defer { try? FileManager.default.removeItem(at: out) }
    // b03 of α 0.25 at 32x32: 32 -> 32 channels on 8x8, every variant that can run it (a
    // folder that lacks one leaves the shape to be tuned: `NetworkTuningCoverageTests`).
    let run = try SepbenchProcess.run([
      "run", "--shape", "n1c32h8w8o32k3s1p1", "--ops", "sep_block", "--variants",
      "unfused,bn-folded,fused,bn-folded-avx512,fused-avx512", "--layouts", "nchw,nhwc",
      "--threads", "1", "--repetitions",
      "3", "--min-time", "100us", "--no-ceilings", "--events", "none", "--out",
      out.appendingPathComponent("run").path,
    ])
    #expect(run.exitCode == 0, "\(run.stderr)")
    let result = try SepbenchProcess.run(
      Self.small + [
        "--twin", "none", "--from", out.appendingPathComponent("run").path, "--out",
        out.appendingPathComponent("net").path, "--band-rows", "3",
      ])
    #expect(result.exitCode == 0, "\(result.stderr)")
    let meta =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: out.appendingPathComponent("net/meta.json"))) as! [String: Any]
    let stages = try #require(
      (meta["plans"] as? [[String: Any]])?.first?["stages"] as? [[String: Any]])
    let b03 = try #require(stages.first { $0["stage"] as? String == "b03" })
    #expect((b03["variant"] as? String)?.hasPrefix("sep_block.") == true)
    #expect((b03["source"] as? String)?.hasSuffix("/run") == true)
    let b04 = try #require(stages.first { $0["stage"] as? String == "b04" })
    #expect(b04["source"] as? String == "tuned")
    // Layers timed with two kernels inside the network run the one kept.
    let settled = try #require(meta["inNetworkChoices"] as? [[String: Any]])
    for choice in settled {
      let stage = try #require(
        stages.first { $0["stage"] as? String == choice["stage"] as? String })
      #expect(choice["kept"] as? String == stage["variant"] as? String, "\(choice)")
    }
    // A pair runs depth-first exactly when its timing kept it so, and its stages are not
    // settled again.
    let pairs = try #require(meta["depthFirstChoices"] as? [[String: Any]])
    for pair in pairs {
      let names = try #require(pair["stage"] as? String).split(separator: "+").map(String.init)
      #expect(names.count == 2, "\(pair)")
      if pair["kept"] as? String == "depth-first" {
        #expect(!settled.contains { names.contains($0["stage"] as? String ?? "") }, "\(pair)")
      }
      let first = try #require(stages.first { $0["stage"] as? String == names[0] })
      #expect(
        (first["depthFirstWithNext"] as? Bool == true)
          == (pair["kept"] as? String == "depth-first"),
        "\(pair)")
    }
    // The band height asked for is recorded with the plan exactly when a pair runs
    // depth-first.
    let plan = try #require((meta["plans"] as? [[String: Any]])?.first)
    let paired = stages.contains { $0["depthFirstWithNext"] as? Bool == true }
    #expect(plan["depthFirstBandRows"] as? Int == (paired ? 3 : nil))
    if paired { #expect(result.stdout.contains("depth-first with the next in bands of 3 row(s)")) }
    // The folder's shape was not tuned again.
    let tuning = try CSVTable(
      parsing: String(contentsOf: out.appendingPathComponent("net/tuning.csv"), encoding: .utf8))
    #expect(!tuning.records.contains { $0["case"] == "b03" })
    #expect(tuning.records.contains { $0["case"] == "b04" })
  }

  @Test(arguments: [
    (
      ["--width", "8"],
      "--width 8.0 is not allowed for a network run; use a number greater than 0 and at most 4.0"
    ),
    (["--resolution", "16"], "--resolution 16 is not allowed for a network run; use 32 to 1024"),
    (["--twin", "both"], "The value 'both' is invalid for '--twin <twin>'"),
    (["--repetitions", "0"], "--repetitions 0 is not allowed; use 1 to 10000"),
    (["--band-rows", "0"], "--band-rows 0 is not allowed; use 1 to 1024"),
  ])
  func badOptionsExitTwoWithOneLine(arguments: [String], message: String) throws {
    let out = Self.scratch()
    let result = try SepbenchProcess.run(
      ["network", "mobilenet-v1"] + arguments + ["--out", out.path])
    #expect(result.exitCode == 2)
    #expect(result.stderr.hasPrefix("error: " + message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func anUnknownNetworkOrFolderIsRefused() throws {
    let unknown = try SepbenchProcess.run(["network", "resnet-50"])
    #expect(unknown.exitCode == 2)
    #expect(unknown.stderr.contains("resnet-50") && unknown.stderr.contains("mobilenet-v1"))
    let missing = try SepbenchProcess.run(Self.small + ["--from", "/nonexistent/run"])
    #expect(missing.exitCode == 2)
    #expect(missing.stderr.contains("/nonexistent/run"))
  }

  @Test func anEarlierRunIsKeptUnlessForced() throws {
    let out = Self.scratch()
    defer { try? FileManager.default.removeItem(at: out) }
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try "earlier\n".write(
      to: out.appendingPathComponent("network.csv"), atomically: true, encoding: .utf8)
    let refused = try SepbenchProcess.run(Self.small + ["--twin", "none", "--out", out.path])
    #expect(refused.exitCode == 2)
    #expect(refused.stderr.contains("already holds a network run; give --force"))
    #expect(
      try String(contentsOf: out.appendingPathComponent("network.csv"), encoding: .utf8)
        == "earlier\n")
    let forced = try SepbenchProcess.run(
      Self.small + ["--twin", "none", "--out", out.path, "--force"])
    #expect(forced.exitCode == 0, "\(forced.stderr)")
    #expect(
      try String(contentsOf: out.appendingPathComponent("network.csv"), encoding: .utf8).hasPrefix(
        "tool,network,"))
  }
}
