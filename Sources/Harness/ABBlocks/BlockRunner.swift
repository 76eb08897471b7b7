import Foundation

#if canImport(Glibc)
  import Glibc
#endif

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

  /// What a sepbench build's `run` can do for a block; older builds lack some of it.
  public struct Abilities: Sendable, Equatable {
    /// Takes `--no-preflight`.
    public var skipsPreflight: Bool
    /// Takes `--turn-fifos` and `--pin-cpu`: it can take turns with the other build of a pair.
    public var takesTurns: Bool

    public init(skipsPreflight: Bool, takesTurns: Bool) {
      self.skipsPreflight = skipsPreflight
      self.takesTurns = takesTurns
    }
  }

  /// Checks that `binary` exists, runs, and is a sepbench that has `run` (its `--help-hidden`), and,
  /// with `countingInstructions`, that its `run` takes `--metric`; returns what its `run`
  /// can do.
  @discardableResult
  public func checkIsSepbench(countingInstructions: Bool = false) throws(Failure) -> Abilities {
    guard FileManager.default.isExecutableFile(atPath: binary) else {
      throw .notSepbench(binary: binary, reason: "no executable file there")
    }
    let (status, output) = Self.capture(binary, ["run", "--help-hidden"])
    guard status == 0, output.contains("USAGE: sepbench run") else {
      throw .notSepbench(
        binary: binary, reason: "`run --help-hidden` exited \(status) without sepbench's usage")
    }
    if countingInstructions && !output.contains("--metric") {
      throw .notSepbench(
        binary: binary,
        reason: "its `run` has no --metric (built before instructions could be counted)")
    }
    return Abilities(
      skipsPreflight: output.contains("--no-preflight"),
      takesTurns: output.contains("--turn-fifos") && output.contains("--pin-cpu"))
  }

  /// Runs one block into `folder`, writing the child's output to `log`. Returns normally only
  /// when the child exited 0; an interrupted child (exit 128+n) is reported as a failure too.
  public func run(arguments: [String], folder: String, log: String) throws(Failure) {
    let block = try start(arguments: arguments, folder: folder, log: log)
    block.process.waitUntilExit()
    try block.finish()
  }

  /// A block whose child process is running.
  public struct RunningBlock {
    public let runner: BlockRunner
    public let process: Process
    public let folder: String
    public let log: String
    let handle: FileHandle?

    /// Throws unless the (exited) child exited 0; closes its log.
    public func finish() throws(Failure) {
      try? handle?.close()
      guard process.terminationReason == .exit, process.terminationStatus == 0 else {
        let status =
          process.terminationReason == .uncaughtSignal
          ? "died of signal \(process.terminationStatus)"
          : "exited \(process.terminationStatus)"
        throw .failed(binary: runner.binary, block: folder, status: status, log: log)
      }
    }
  }

  /// Starts one block into `folder`, the child's output going to `log`.
  public func start(arguments: [String], folder: String, log: String) throws(Failure)
    -> RunningBlock
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["run"] + arguments + ["--out", folder]
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let handle = FileHandle(forWritingAtPath: log)
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      try? handle?.close()
      throw .failed(
        binary: binary, block: folder, status: "could not start (\(error))", log: log)
    }
    return RunningBlock(runner: self, process: process, folder: folder, log: log, handle: handle)
  }

  /// Runs blocks at the same time (the two builds of a pair taking turns through `fifos`)
  /// and waits for all of them. When one fails, the others are killed (the pair is lost
  /// anyway); when one finishes first, a survivor still waiting to open the FIFOs is let go
  /// on alone. Once `stopRequested` says so (a Ctrl-C or SIGTERM that reached only the
  /// parent), each child gets one SIGTERM: it stops after its current shape. Throws the
  /// first failure.
  public static func runTogether(
    _ blocks: [(runner: BlockRunner, arguments: [String], folder: String, log: String)],
    fifos: TurnFIFOs, stopRequested: () -> Bool = { false }
  ) throws(Failure) {
    var running: [RunningBlock] = []
    for block in blocks {
      do {
        running.append(
          try block.runner.start(arguments: block.arguments, folder: block.folder, log: block.log))
      } catch {
        for started in running { kill(started.process.processIdentifier, SIGKILL) }
        fifos.releaseSurvivor()
        for started in running {
          started.process.waitUntilExit()
          try? started.finish()
        }
        throw error
      }
    }
    var failure: Failure?
    var finished: Set<Int> = []
    var stopForwarded = false
    while finished.count < running.count {
      if !stopForwarded && stopRequested() {
        stopForwarded = true
        for (index, block) in running.enumerated() where !finished.contains(index) {
          kill(block.process.processIdentifier, SIGTERM)
        }
      }
      for (index, block) in running.enumerated()
      where !finished.contains(index) && !block.process.isRunning {
        finished.insert(index)
        do { try block.finish() } catch { failure = failure ?? error }
      }
      if failure != nil {
        for (index, block) in running.enumerated() where !finished.contains(index) {
          kill(block.process.processIdentifier, SIGKILL)
        }
      } else if !finished.isEmpty {
        fifos.releaseSurvivor()
      }
      if finished.count < running.count { usleep(20_000) }
    }
    if let failure { throw failure }
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
