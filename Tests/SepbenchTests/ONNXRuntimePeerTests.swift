import ConvKernels
import Foundation
import Harness
import TestSupport
import Testing

/// The ONNX Runtime peer (`Scripts/peers/ort_peer.py`) counts costs as sepbench does, so its
/// result folders line up column by column. `--costs-only` needs neither ONNX Runtime nor the
/// network.
@Suite struct ONNXRuntimePeerTests {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scripts/peers/ort_peer.py")

  @Test func peerCostsEqualSepbenchsOnEveryQuickCaseAndOperator() throws {
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      [
        "python3", Self.script.path, "--costs-only", "--suite", "quick", "--sepbench",
        try SepbenchProcess.binary().path,
      ])
    let text = result.stdout
    #expect(result.status == 0, "\(result.stderr)")
    let lines = text.split(separator: "\n").dropFirst()
    #expect(lines.count == Suite.quick.cases.count * Op.allCases.count)
    for suiteCase in Suite.quick.cases {
      for op in Op.allCases {
        let cost = suiteCase.problem.cost(for: op)
        let want = [
          suiteCase.name, op.rawValue, "\(cost.macs)", "\(cost.flops)", "\(cost.params)",
          "\(cost.bnParams)", "\(cost.bytesMin)",
        ].joined(separator: ",")
        #expect(lines.contains(Substring(want)), "\(want) not in\n\(text)")
      }
    }
  }

  /// The peer's statistics columns are sepbench's: the same median, p90, standard deviation
  /// and interval of the median on one set of samples.
  @Test func peerStatisticsEqualSampleStatistics() throws {
    let samples = [12.5, 9.0, 30.25, 11.0, 10.5, 9.75, 14.0, 10.0, 13.5, 11.5, 9.5, 40.0, 10.25]
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      [
        "python3", "-c",
        "import sys, json; sys.path.insert(0, sys.argv[1]); import ort_peer; "
          + "print(json.dumps(ort_peer.statistics(json.loads(sys.argv[2]))))",
        Self.script.deletingLastPathComponent().path, "\(samples)",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let peer = try JSONDecoder().decode([String: Double].self, from: Data(result.stdout.utf8))
    let ours = SampleStatistics(samples)
    #expect(peer["min"] == ours.min)
    #expect(peer["median"] == ours.median)
    #expect(peer["mean"] == ours.mean)
    #expect(peer["p90"] == ours.p90)
    #expect(abs(peer["sd"]! - ours.standardDeviation) <= 1e-12 * ours.standardDeviation)
    #expect(peer["low"] == ours.medianLow)
    #expect(peer["high"] == ours.medianHigh)
  }

  @Test func badArgumentsExitTwoWithOneLine() throws {
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      ["python3", Self.script.path, "--shape", "n1c8h8", "--ops", "fft", "--costs-only"])
    let text = result.stderr
    #expect(result.status == 2)
    #expect(
      text == "error: operator 'fft' is not allowed; use conv, dw, pw, sep_block, conv_block\n")
  }

  /// The peer's exit status tells a crash from a finished run: main's own status passes
  /// through (1: a case failed validation), bad input is 2 with one line, Ctrl-C 130, and any
  /// other exception is 3 with its traceback, not Python's default 1.
  @Test(arguments: [
    ("return 1", Int32(1)),
    ("raise ort_peer.BadInput('x is not allowed')", 2),
    ("return 1 // 0", 3),
    ("raise KeyboardInterrupt", 130),
  ])
  func exitStatusSaysHowTheRunEnded(body: String, status: Int32) throws {
    let program = """
      import sys
      sys.path.insert(0, sys.argv[1])
      import ort_peer
      def main(argv):
          \(body)
      ort_peer.run_main(main)
      """
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      ["python3", "-c", program, Self.script.deletingLastPathComponent().path])
    #expect(result.status == status, "\(result.stderr)")
    switch status {
    case 1, 130: #expect(result.stderr == "")
    case 2: #expect(result.stderr == "error: x is not allowed\n")
    default:
      #expect(result.stderr.contains("Traceback") && result.stderr.contains("ZeroDivisionError"))
    }
  }
}

/// The peer's wrapper, where PyPI cannot be reached: one line, exit 2.
@Suite struct ONNXRuntimePeerSetupTests {
  @Test func withoutPyPITheWrapperSaysSoAndExitsTwo() throws {
    let scratch = RegressionFixture.scratchFolder()
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let wrapper = ONNXRuntimePeerTests.script.deletingLastPathComponent()
      .appendingPathComponent("onnxruntime")
    // A closed port on this machine stands in for a network without PyPI.
    let result = try ScriptProcess.run(
      wrapper.path, ["--suite", "quick", "--out", scratch.appendingPathComponent("out").path],
      environment: [
        "SEPBENCH_PEER_VENV": scratch.appendingPathComponent("venv").path,
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_RETRIES": "0", "PIP_TIMEOUT": "2",
        "PIP_NO_CACHE_DIR": "1",
      ])
    let text = result.stderr
    #expect(result.status == 2, "\(text)")
    let lines = text.split(separator: "\n")
    #expect(lines.last?.hasPrefix("error: cannot install onnxruntime==") == true, "\(text)")
    #expect(lines.last?.hasSuffix("the peer needs network access to PyPI") == true, "\(text)")
    #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("out").path))
  }
}

/// The whole-network peer (`Scripts/peers/ort_network.py`) counts MobileNetV1 as
/// `sepbench model` does.
@Suite struct ONNXRuntimeNetworkPeerTests {
  static let script = ONNXRuntimePeerTests.script.deletingLastPathComponent()
    .appendingPathComponent("ort_network.py")

  @Test(arguments: [(1.0, 224), (0.5, 128), (0.25, 32)])
  func peerCountsEqualTheModel(width: Double, resolution: Int) throws {
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      [
        "python3", Self.script.path, "--costs-only", "--width", "\(width)", "--resolution",
        "\(resolution)",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let model = try MobileNetV1.model(width: width, resolution: resolution)
    #expect(result.stdout == "macs,params\n\(model.totalMACs),\(model.totalParams)\n")
  }

  @Test func badWidthExitsTwoWithOneLine() throws {
    let result = try ScriptProcess.run(
      "/usr/bin/env", ["python3", Self.script.path, "--costs-only", "--width", "9"])
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "error: --width 9.0 is not allowed; use a number greater than 0 and at most 4\n")
  }

  /// The per-layer rows count each layer's MACs as sepbench's stages do, layer by layer.
  @Test(arguments: [(1.0, 224), (0.5, 128)])
  func layerMACsEqualTheStages(width: Double, resolution: Int) throws {
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      [
        "python3", "-c",
        "import sys, json; sys.path.insert(0, sys.argv[1]); import ort_network; "
          + "print(json.dumps(ort_network.layer_macs(float(sys.argv[2]), int(sys.argv[3]))))",
        Self.script.deletingLastPathComponent().path, "\(width)", "\(resolution)",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let peer = try JSONDecoder().decode([String: Int].self, from: Data(result.stdout.utf8))
    let stages = try MobileNetV1.model(width: width, resolution: resolution).stages(.separable)
    let ours = Dictionary(uniqueKeysWithValues: stages.map { ($0.name, $0.macs) })
    #expect(peer.filter { $0.value > 0 } == ours.filter { $0.value > 0 })
  }

  /// A profile of two passes after a warm-up: each layer sums its nodes per pass (b01's two
  /// fused convolutions, one with its layer inside the name), the reorders ONNX Runtime
  /// inserted count as `reorder`, a node of no layer as `other` (in the last pass only, where it
  /// ran), and only the last two passes are kept, as are the last two `model_run` durations.
  /// Times are µs in the profile, ns in the result.
  @Test func profiledLayersSumNodesPerPass() throws {
    let events = """
      [{"cat": "Session", "name": "model_run", "dur": 900},
       {"cat": "Node", "name": "conv1.relu3_nchwc_kernel_time", "dur": 50},
       {"cat": "Node", "name": "b01.relu6_nchwc_kernel_time", "dur": 70},
       {"cat": "Node", "name": "fused b01.relu9_kernel_time", "dur": 80},
       {"cat": "Node", "name": "b01.relu6_nchwc_fence_before", "dur": 1},
       {"cat": "Node", "name": "ReorderOutput_kernel_time", "dur": 5,
        "args": {"op_name": "ReorderOutput"}},
       {"cat": "Session", "name": "model_run", "dur": 200},
       {"cat": "Node", "name": "conv1.relu3_nchwc_kernel_time", "dur": 20},
       {"cat": "Node", "name": "b01.relu6_nchwc_kernel_time", "dur": 30},
       {"cat": "Node", "name": "fused b01.relu9_kernel_time", "dur": 40},
       {"cat": "Node", "name": "ReorderOutput_kernel_time", "dur": 2,
        "args": {"op_name": "ReorderOutput"}},
       {"cat": "Session", "name": "model_run", "dur": 300},
       {"cat": "Node", "name": "conv1.relu3_nchwc_kernel_time", "dur": 25},
       {"cat": "Node", "name": "b01.relu6_nchwc_kernel_time", "dur": 35},
       {"cat": "Node", "name": "fused b01.relu9_kernel_time", "dur": 45},
       {"cat": "Node", "name": "Cast_5_kernel_time", "dur": 7, "args": {"op_name": "Cast"}},
       {"cat": "Node", "name": "ReorderOutput_kernel_time", "dur": 3,
        "args": {"op_name": "ReorderOutput"}}]
      """
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let profile = scratch.appendingPathComponent("profile.json")
    try events.write(to: profile, atomically: true, encoding: .utf8)
    let result = try ScriptProcess.run(
      "/usr/bin/env",
      [
        "python3", "-c",
        "import sys, json; sys.path.insert(0, sys.argv[1]); import ort_network; "
          + "print(json.dumps(ort_network.profiled_layers(sys.argv[2], 2), sort_keys=True))",
        Self.script.deletingLastPathComponent().path, profile.path,
      ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout
        == #"[{"b01": [70000.0, 80000.0], "conv1": [20000.0, 25000.0], "other": [0.0, 7000.0], "reorder": [2000.0, 3000.0]}, [200000, 300000]]"#
        + "\n")
    #expect(
      result.stderr
        == "onnxruntime network: node 'Cast_5' (Cast) belongs to no layer; counted as other\n")
  }

  /// The peer's virtual environment, when this checkout has one with ONNX Runtime in it.
  static let venvPython: URL? = {
    let python = ONNXRuntimePeerTests.script.deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent(".venv-peers/bin/python")
    return FileManager.default.isExecutableFile(atPath: python.path) ? python : nil
  }()

  /// With ONNX Runtime itself (where `Scripts/peers/onnxruntime` has set it up): every node of
  /// the optimised graph maps to one of sepbench's layers, and every layer has a row.
  @Test(.enabled(if: venvPython != nil, "needs .venv-peers from Scripts/peers/onnxruntime"))
  func realProfileMapsEveryNodeToALayer() throws {
    let out = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try ScriptProcess.run(
      Self.venvPython!.path,
      [
        Self.script.path, "--width", "1", "--resolution", "32", "--repetitions", "3",
        "--warm-up", "1ms", "--out", out.path,
      ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stderr.contains("belongs to no layer"), "\(result.stderr)")
    let csv = try String(contentsOf: out.appendingPathComponent("network.csv"), encoding: .utf8)
    let layers = Set(csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[6] })
    let blocks = (1...13).map { Substring(String(format: "b%02d", $0)) }
    #expect(layers.isSuperset(of: ["conv1", "pool", "fc", "total"] + blocks), "\(layers)")
    #expect(!layers.contains("other"))
  }
}
