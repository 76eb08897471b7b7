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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", Self.script.path, "--costs-only", "--suite", "quick", "--sepbench",
      try SepbenchProcess.binary().path,
    ]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
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

  @Test func badArgumentsExitTwoWithOneLine() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", Self.script.path, "--shape", "n1c8h8", "--ops", "fft", "--costs-only",
    ]
    let error = Pipe()
    process.standardError = error
    try process.run()
    let text = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    #expect(
      text == "error: operator 'fft' is not allowed; use conv, dw, pw, sep_block, conv_block\n")
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
    let process = Process()
    process.executableURL = wrapper
    process.arguments = ["--suite", "quick", "--out", scratch.appendingPathComponent("out").path]
    var environment = ProcessInfo.processInfo.environment
    environment["SEPBENCH_PEER_VENV"] = scratch.appendingPathComponent("venv").path
    // A closed port on this machine stands in for a network without PyPI.
    environment["PIP_INDEX_URL"] = "http://127.0.0.1:9/simple"
    environment["PIP_RETRIES"] = "0"
    environment["PIP_TIMEOUT"] = "2"
    environment["PIP_NO_CACHE_DIR"] = "1"
    process.environment = environment
    let error = Pipe()
    process.standardError = error
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2, "\(text)")
    let lines = text.split(separator: "\n")
    #expect(lines.last?.hasPrefix("error: cannot install onnxruntime==") == true, "\(text)")
    #expect(lines.last?.hasSuffix("the peer needs network access to PyPI") == true, "\(text)")
    #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("out").path))
  }
}
