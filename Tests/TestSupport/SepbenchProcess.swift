import Foundation

/// What one run of the `sepbench` executable produced.
public struct SepbenchOutput: Sendable {
  /// The process exit status.
  public let exitCode: Int32
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

  /// Runs `sepbench arguments...` in `directory` (the current directory when nil) and waits
  /// for it to exit. With `addressSpaceLimitKiB`, `/bin/sh` first sets that `RLIMIT_AS`
  /// (`ulimit -v`) and then becomes `sepbench`.
  public static func run(
    _ arguments: [String], in directory: URL? = nil, addressSpaceLimitKiB: Int? = nil
  ) throws -> SepbenchOutput {
    let process = Process()
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
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return SepbenchOutput(
      exitCode: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
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
