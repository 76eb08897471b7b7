import Foundation

/// The git commit of the checkout that holds the running `sepbench` binary (it is built inside
/// the package, under `.build/`), with `-dirty` when tracked files were changed; nil outside a
/// git checkout.
enum GitCommit {
  static func current() -> String? {
    let binaryFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "git", "-C", binaryFolder.path, "describe", "--always", "--dirty", "--abbrev=40",
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    let commit = String(decoding: output, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return commit.isEmpty ? nil : commit
  }
}
