import Foundation
import TestSupport
import Testing

/// The tables of `Scripts/peers/ab-onnxruntime-network` and `ab-onnxruntime` read a round's
/// folders whether the tools took turns (`<tool>-<round>-turns`) or ran one after the other
/// (`<tool>-<round>`), and say which.
@Suite struct PeerTableTests {
  static let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scripts/peers")

  static func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  static let machine = #"{"cpuModel": "Test CPU", "logicalCores": 2}"#

  /// Two rounds: one thread in turns, two threads one after the other. sepbench 12 and 9 ms on
  /// one thread against 10 and 10; 6 and 8 ms on two against 5 and 4. Layer b01 takes a tenth
  /// of each total, so the per-layer table holds the same medians and ratios, tenfold smaller.
  @Test func networkTableNamesHowEachRowWasInterleaved() throws {
    let out = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let times: [(folder: String, threads: Int, ms: Double)] = [
      ("sepbench-1-turns", 1, 12), ("onnxruntime-1-turns", 1, 10), ("sepbench-1", 2, 6),
      ("onnxruntime-1", 2, 5), ("sepbench-2-turns", 1, 9), ("onnxruntime-2-turns", 1, 10),
      ("sepbench-2", 2, 8), ("onnxruntime-2", 2, 4),
    ]
    for (folder, threads, ms) in times {
      let csv =
        "layer,model,threads,time_ns_median\nb01,separable,\(threads),\(ms * 1e5)\n"
        + "total,separable,\(threads),\(ms * 1e6)\n"
      try Self.write(csv, to: out.appendingPathComponent("\(folder)/network.csv"))
      try Self.write(
        #"{"width": 1, "resolution": 224, "machine": \#(Self.machine)}"#,
        to: out.appendingPathComponent("\(folder)/meta.json"))
    }
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      ["python3", Self.peers.appendingPathComponent("network_table.py").path, out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdout.split(separator: "\n").filter {
      $0.hasPrefix("| 1 ") || $0.hasPrefix("| 2 ")
    }
    #expect(
      rows == [
        "| 1 | 1 | turns | 12.00 | 10.00 | 1.200 |",
        "| 1 | 2 | turns | 9.00 | 10.00 | 0.900 |",
        "| 1 | median | | 10.50 | 10.00 | 1.050 |",
        "| 2 | 1 | runs | 6.00 | 5.00 | 1.200 |",
        "| 2 | 2 | runs | 8.00 | 4.00 | 2.000 |",
        "| 2 | median | | 7.00 | 4.50 | 1.600 |",
        "| 1 | b01 | 1.050 | 1.000 | 1.05 |",
        "| 2 | b01 | 0.700 | 0.450 | 1.60 |",
      ])
    #expect(result.stdout.contains("Per layer, medians over rounds in ms"))
  }

  /// Layers rows appear only for layers both tools have in every round, in network order; with
  /// no layer rows on one side there is no per-layer table.
  @Test func layerTableKeepsLayersEveryRoundHas() throws {
    let out = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let layers: [String: [(String, Double)]] = [
      "sepbench-1-turns": [("b02", 2), ("conv1", 1), ("b01", 3)],
      "onnxruntime-1-turns": [("conv1", 2), ("b01", 3), ("b02", 4)],
      "sepbench-2-turns": [("conv1", 3), ("b01", 6)],
      "onnxruntime-2-turns": [("conv1", 2), ("b01", 2), ("b02", 4)],
    ]
    for (folder, rows) in layers {
      let csv =
        "layer,model,threads,time_ns_median\n"
        + rows.map { "\($0.0),separable,1,\($0.1 * 1e6)\n" }.joined()
        + "total,separable,1,\(10e6)\n"
      try Self.write(csv, to: out.appendingPathComponent("\(folder)/network.csv"))
      try Self.write(
        #"{"width": 1, "resolution": 224, "machine": \#(Self.machine)}"#,
        to: out.appendingPathComponent("\(folder)/meta.json"))
    }
    let table = Self.peers.appendingPathComponent("network_table.py").path
    let result = try ScriptProcess.run("/usr/bin/env", ["python3", table, out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdout.split(separator: "\n").filter {
      $0.hasPrefix("| 1 | b") || $0.hasPrefix("| 1 | c")
    }
    // conv1: 1 and 3 against 2 and 2 (ratios 0.5 and 1.5); b01: 3 and 6 against 3 and 2 (1 and 3).
    #expect(rows == ["| 1 | conv1 | 2.000 | 2.000 | 1.00 |", "| 1 | b01 | 4.500 | 2.500 | 2.00 |"])

    for folder in ["onnxruntime-1-turns", "onnxruntime-2-turns"] {
      try Self.write(
        "layer,model,threads,time_ns_median\ntotal,separable,1,\(10e6)\n",
        to: out.appendingPathComponent("\(folder)/network.csv"))
    }
    let totalsOnly = try ScriptProcess.run("/usr/bin/env", ["python3", table, out.path])
    #expect(totalsOnly.status == 0, "\(totalsOnly.stderr)")
    #expect(!totalsOnly.stdout.contains("Per layer"))
  }

  /// One round of operators: pw on one thread in turns, on two one after the other. sepbench's
  /// best is its fastest row of the case, operator and thread count.
  @Test func operatorTableTakesEachToolsBestAndNamesTheInterleave() throws {
    let out = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let header = "case,op,threads,status,time_median_ns,variant_id,layout\n"
    let folders: [String: String] = [
      "sepbench-1-turns":
        "b07,pw,1,ok,800000,pw.gemm.nhwc,nhwc\nb07,pw,1,ok,900000,pw.gemm.nchw,nchw\n",
      "onnxruntime-1-turns": "b07,pw,1,ok,1000000,pw.onnxruntime.nchw,nchw\n",
      "sepbench-1": "b07,pw,2,ok,500000,pw.gemm.nhwc.t2,nhwc\n",
      "onnxruntime-1": "b07,pw,2,ok,400000,pw.onnxruntime.nchw.t2,nchw\n",
    ]
    for (folder, rows) in folders {
      try Self.write(header + rows, to: out.appendingPathComponent("\(folder)/results.csv"))
      try Self.write(
        #"{"machine": \#(Self.machine), "peer": {"version": "1.0", "graphOptimizationLevel": "all"}}"#,
        to: out.appendingPathComponent("\(folder)/meta.json"))
    }
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      ["python3", Self.peers.appendingPathComponent("peer_table.py").path, out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("| b07") }
    #expect(
      Set(rows) == [
        "| b07 | pw | 1 | turns | 0.800 (`pw.gemm.nhwc`) | 0.900 | 1.00 | 0.80 |",
        "| b07 | pw | 2 | runs | 0.500 (`pw.gemm.nhwc.t2`) | – | 0.400 | 1.25 |",
      ])
  }
}

/// The comparison scripts refuse a folder that holds an earlier comparison, whose round folders
/// the table would read as this one's, before they set anything up; with `--force` they clear
/// it once sepbench is built.
@Suite struct PeerComparisonFolderTests {
  static let helper = PeerTableTests.peers.appendingPathComponent("comparison-folder.sh")

  /// `check_comparison_folder DIR FORCE && clear_comparison_folder DIR` in a shell, and what
  /// DIR holds afterwards.
  static func claim(_ out: URL, force: Bool) throws -> (ScriptProcess.Output, [String]) {
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      [
        "bash", "-c",
        "source \"$1\" && check_comparison_folder \"$2\" \"$3\" && clear_comparison_folder \"$2\"",
        "claim", helper.path, out.path, force ? "1" : "0",
      ])
    let left = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
    return (result, left.sorted())
  }

  @Test func aNewFolderIsCreated() throws {
    let out = RegressionFixture.scratchFolder().appendingPathComponent("new")
    defer { try? FileManager.default.removeItem(at: out.deletingLastPathComponent()) }
    let (result, left) = try Self.claim(out, force: false)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(FileManager.default.fileExists(atPath: out.path) && left.isEmpty)
  }

  @Test func anEarlierComparisonIsRefusedOrReplacedWithForce() throws {
    let out = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    for name in ["sepbench-3/meta.json", "onnxruntime-1-turns/meta.json", "table.md", "notes.txt"] {
      try PeerTableTests.write("{}", to: out.appendingPathComponent(name))
    }
    let (refused, kept) = try Self.claim(out, force: false)
    #expect(refused.status == 2)
    #expect(
      refused.stderr
        == "error: --out '\(out.path)' already holds a comparison; give --force to replace it, or another folder\n"
    )
    #expect(kept == ["notes.txt", "onnxruntime-1-turns", "sepbench-3", "table.md"])
    let (replaced, left) = try Self.claim(out, force: true)
    #expect(replaced.status == 0, "\(replaced.stderr)")
    #expect(left == ["notes.txt"])
  }

  /// Both scripts refuse before they set anything up.
  @Test(arguments: ["ab-onnxruntime", "ab-onnxruntime-network"])
  func theScriptsRefuseAnEarlierComparison(script: String) throws {
    let out = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    try PeerTableTests.write("{}", to: out.appendingPathComponent("table.md"))
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      ["bash", PeerTableTests.peers.appendingPathComponent(script).path, "--out", out.path])
    #expect(result.status == 2)
    #expect(
      result.stderr.hasSuffix(
        "already holds a comparison; give --force to replace it, or another folder\n"))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("table.md").path))
  }
}
