import Foundation

/// What one run of the `sepbench` executable produced.
public struct SepbenchOutput: Sendable {
  /// The process exit status (for a process killed by a signal: the signal's number, and
  /// `killedBy` names it).
  public let exitCode: Int32
  /// The signal that killed the process, nil when it exited.
  public var killedBy: Int32? = nil
  /// Everything written to standard output.
  public let stdout: String
  /// Everything written to standard error.
  public let stderr: String

  /// The non-empty lines of `stderr`.
  public var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

/// Runs the built `sepbench` binary as a subprocess, the way argument-parser's
/// `AssertExecuteCommand` does, so CLI tests see the real exit codes and streams.
///
/// The binary is found next to the test bundle: `swift test` and `swift test -c release` both
/// put `sepbench` and the test product in the same `.build/<triple>/<config>/` folder (the
/// SepbenchTests target depends on `sepbench`, so it is built first). `SEPBENCH_BINARY`
/// overrides the search.
public enum SepbenchProcess {
  /// Why the binary could not be run.
  public struct NotFound: Error, CustomStringConvertible {
    public let searched: [String]
    public var description: String {
      "sepbench binary not found; looked in: \(searched.joined(separator: ", "))"
    }
  }

  /// The `sepbench` executable for this build configuration.
  public static func binary() throws -> URL {
    let fileManager = FileManager.default
    if let forced = ProcessInfo.processInfo.environment["SEPBENCH_BINARY"] {
      return URL(fileURLWithPath: forced)
    }
    let folders = candidateFolders()
    for folder in folders {
      let candidate = folder.appendingPathComponent("sepbench")
      if fileManager.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw NotFound(searched: folders.map(\.path))
  }

  /// Where the child's standard output goes.
  public enum Output: Sendable {
    /// Into `SepbenchOutput.stdout`.
    case captured
    /// Into a pipe whose reading end is closed before the child starts, as in
    /// `sepbench run … | head` after `head` has exited: every write fails with EPIPE (and
    /// raises SIGPIPE unless the child ignores it).
    case closedPipe
  }

  /// Runs `sepbench arguments...` in `directory` (the current directory when nil) and waits
  /// for it to exit. With `addressSpaceLimitKiB`, `/bin/sh` first sets that `RLIMIT_AS`
  /// (`ulimit -v`) and then becomes `sepbench`.
  public static func run(
    _ arguments: [String], in directory: URL? = nil, stdout: Output = .captured,
    addressSpaceLimitKiB: Int? = nil, environment: [String: String] = [:]
  ) throws -> SepbenchOutput {
    let process = Process()
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let addressSpaceLimitKiB {
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments =
        ["-c", "ulimit -v \(addressSpaceLimitKiB) && exec \"$0\" \"$@\"", try binary().path]
        + arguments
    } else {
      process.executableURL = try binary()
      process.arguments = arguments
    }
    if let directory { process.currentDirectoryURL = directory }
    // Files, not pipes: a child that fills a pipe buffer while we wait would deadlock.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-process-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    switch stdout {
    case .captured: process.standardOutput = outHandle
    case .closedPipe:
      let pipe = Pipe()
      try pipe.fileHandleForReading.close()
      process.standardOutput = pipe
    }
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return SepbenchOutput(
      exitCode: process.terminationStatus,
      killedBy: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil,
      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }

  /// Starts `sepbench arguments...` in `directory` and returns at once, so that a test can
  /// wait for a line on its stderr, signal it, or start another run beside it.
  /// - Parameter ignoring: signals the child starts with set to be ignored, as a shell
  ///   starts a background job (SIGINT) or `nohup` starts its command (SIGHUP). A `/bin/sh`
  ///   sets them and then `exec`s the binary, so the child keeps the process id.
  public static func start(
    _ arguments: [String], in directory: URL? = nil, ignoring: [Int32] = []
  ) throws -> RunningSepbench {
    guard !ignoring.isEmpty else {
      return try RunningSepbench(executable: binary(), arguments: arguments, directory: directory)
    }
    let trap = "trap '' \(ignoring.map(String.init).joined(separator: " ")); exec \"$0\" \"$@\""
    return try RunningSepbench(
      executable: URL(fileURLWithPath: "/bin/sh"),
      arguments: ["-c", trap, try binary().path] + arguments, directory: directory)
  }

  /// Folders that may hold the build products: the folder of the running test executable
  /// (Linux: `.build/<triple>/<config>/<Package>PackageTests.xctest`), the folder holding an
  /// `.xctest` bundle (macOS), and their parents.
  private static func candidateFolders() -> [URL] {
    var paths: [URL] = []
    #if os(Linux)
      if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        paths.append(URL(fileURLWithPath: exe))
      }
    #endif
    if let executable = Bundle.main.executableURL { paths.append(executable) }
    paths += Bundle.allBundles.map(\.bundleURL).filter { $0.pathExtension == "xctest" }
    if let first = CommandLine.arguments.first { paths.append(URL(fileURLWithPath: first)) }
    var folders: [URL] = []
    for path in paths {
      // The folder holding the product, and for a bundle's inner executable
      // (`X.xctest/Contents/MacOS/X`) the folders further up.
      var folder = path.deletingLastPathComponent()
      for _ in 0..<4 {
        if !folders.contains(folder) { folders.append(folder) }
        folder = folder.deletingLastPathComponent()
      }
    }
    return folders
  }
}

/// A `sepbench` child that is still running. Its stderr comes through a pipe the test reads
/// (`waitForStderr`, `wait`); its stdout goes to a file.
public final class RunningSepbench {
  private let process = Process()
  private let stderrPipe = Pipe()
  private let scratch: URL
  private var stderrSeen = Data()

  init(executable: URL, arguments: [String], directory: URL?) throws {
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-process-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let outURL = scratch.appendingPathComponent("stdout")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = stderrPipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
  }

  deinit {
    if process.isRunning { process.terminate() }
    try? FileManager.default.removeItem(at: scratch)
  }

  /// The child's process id.
  public var processIdentifier: Int32 { process.processIdentifier }

  /// Reads the child's stderr until it contains `text`; false when the child closed stderr
  /// (ended) first.
  @discardableResult
  public func waitForStderr(containing text: String) -> Bool {
    while !String(decoding: stderrSeen, as: UTF8.self).contains(text) {
      let chunk = stderrPipe.fileHandleForReading.availableData
      if chunk.isEmpty { return false }
      stderrSeen += chunk
    }
    return true
  }

  /// Sends `signal` (SIGINT, SIGTERM, …) to the child.
  public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

  /// Waits for the child to exit.
  public func wait() throws -> SepbenchOutput {
    stderrSeen += stderrPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let stdout = try Data(contentsOf: scratch.appendingPathComponent("stdout"))
    return SepbenchOutput(
      exitCode: process.terminationStatus,
      killedBy: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil,
      stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderrSeen, as: UTF8.self))
  }
}
