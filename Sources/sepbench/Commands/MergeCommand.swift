import ArgumentParser
import Foundation
import Reports

/// `sepbench merge DIR… --out DIR`: shards and machines into one result folder.
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Merge result folders (shards of a plan, or runs of several machines) into one.",
    discussion: """
      Folders of one machine fingerprint (the shards of `run --shard I/N`) become one result. \
      Folders of several fingerprints are kept apart by a `machine` column (the fingerprint \
      id) at the end of each CSV, and meta.json lists each machine with its ceilings. Two \
      folders that hold the same case on the same machine are refused (exit 2).
      """)

  @Argument(help: "Result folders to merge (at least 2).")
  var folders: [String]

  @Option(help: "The merged folder, created if needed.")
  var out: String

  @Flag(help: "Replace the result files already in --out.")
  var force = false

  func run() throws {
    let summary = try ResultMerge.merge(
      folders, into: out, replacing: force, commandLine: CommandLine.arguments)
    print(
      "Merged \(folders.count) folders, \(summary.rows) rows, "
        + "\(summary.machines.count) machine\(summary.machines.count == 1 ? "" : "s"): \(out)")
  }
}

extension MergeError: BadInput {}
