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
