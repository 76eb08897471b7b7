import Foundation

/// Runs one block of an A/B comparison: `BIN run <arguments> --out FOLDER` as a child process,
/// its output kept in a log file.
public struct BlockRunner: Sendable {
  /// Why a block did not give a finished result folder.
  public enum Failure: Error, Equatable, CustomStringConvertible, Sendable {
    case notSepbench(binary: String, reason: String)
    case failed(binary: String, block: String, status: String, log: String)

    public var description: String {
      switch self {
      case .notSepbench(let binary, let reason):
        "'\(binary)' is not a sepbench binary: \(reason)"
      case .failed(let binary, let block, let status, let log):
        "'\(binary)' \(status) in \(block); its output is in \(log)"
      }
    }
  }

  public let binary: String

  public init(binary: String) { self.binary = binary }

  /// Checks that `binary` exists, runs, and is a sepbench that has `run` (its `--help`), and,
  /// with `countingInstructions`, that its `run` takes `--metric`; returns whether its `run`
  /// takes `--no-preflight` (older builds do not).
  @discardableResult
  public func checkIsSepbench(countingInstructions: Bool = false) throws(Failure) -> Bool {
    guard FileManager.default.isExecutableFile(atPath: binary) else {
      throw .notSepbench(binary: binary, reason: "no executable file there")
    }
    let (status, output) = Self.capture(binary, ["run", "--help"])
    guard status == 0, output.contains("USAGE: sepbench run") else {
      throw .notSepbench(
        binary: binary, reason: "`run --help` exited \(status) without sepbench's usage")
    }
    if countingInstructions && !output.contains("--metric") {
      throw .notSepbench(
        binary: binary, reason: "its `run` has no --metric (built before instructions could be counted)")
    }
    return output.contains("--no-preflight")
  }

  /// Runs one block into `folder`, writing the child's output to `log`. Returns normally only
  /// when the child exited 0; an interrupted child (exit 128+n) is reported as a failure too.
  public func run(arguments: [String], folder: String, log: String) throws(Failure) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["run"] + arguments + ["--out", folder]
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let handle = FileHandle(forWritingAtPath: log)
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      throw .failed(
        binary: binary, block: folder, status: "could not start (\(error))", log: log)
    }
    process.waitUntilExit()
    try? handle?.close()
    guard process.terminationReason == .exit, process.terminationStatus == 0 else {
      let status =
        process.terminationReason == .uncaughtSignal
        ? "died of signal \(process.terminationStatus)"
        : "exited \(process.terminationStatus)"
      throw .failed(binary: binary, block: folder, status: status, log: log)
    }
  }

  private static func capture(_ binary: String, _ arguments: [String]) -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return (-1, "") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
