import Foundation

/// A script or tool other than sepbench (Python, shell, compare.py), run to its end.
public enum ScriptProcess {
  /// What a finished process printed, and how it ended.
  public struct Output: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
  }

  /// Runs `executable arguments...` with `environment` added to this process's, and waits.
  /// Output goes through files, so a large output never stalls the child on a full pipe.
  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:]
  ) throws -> Output {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-script-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("stdout")
    let err = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
      stderr: try String(contentsOf: err, encoding: .utf8))
  }
}
