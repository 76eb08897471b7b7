import Foundation
import Harness
import Reports
import TestSupport
import Testing

/// `Scripts/fleet/slurm-array.sh` under a stand-in for `sbatch` (Tests/Fixtures/fleet): the
/// array's shards run, and the dependent merge job joins them into the whole plan.
@Suite struct FleetScriptTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  @Test func theSlurmArrayRunsEveryShardAndMergesThem() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("fleet")
    let result = try ScriptProcess.run(
      Self.root.appendingPathComponent("Scripts/fleet/slurm-array.sh").path,
      [
        "--shards", "3", "--out", out.path, "--", "--suite", "quick", "--ops", "dw",
        "--variants", "naive,simd8", "--min-time", "200us", "--repetitions", "3",
        "--no-ceilings", "--events", "none", "--no-preflight",
      ],
      environment: [
        "PATH": Self.root.appendingPathComponent("Tests/Fixtures/fleet").path + ":"
          + (ProcessInfo.processInfo.environment["PATH"] ?? ""),
        "SEPBENCH": try SepbenchProcess.binary().path,
      ])
    let text = result.stdout
    #expect(result.status == 0, "\(text)\(result.stderr)")
    #expect(text.contains("(3 tasks); merge: job"))

    for shard in 1...3 {
      let meta = try ResultFolder(url: out.appendingPathComponent("shard-\(shard)")).readMetadata()
      #expect(meta.plan.shard == "\(shard)/3")
    }
    let merged = try ResultFolder(url: out.appendingPathComponent("merged")).readMetadata()
    #expect(merged.plan.cases == Suite.quick.cases.map { "\($0.name)=\($0.problem.descriptor)" })
    let table = try CSVTable(contentsOf: out.appendingPathComponent("merged/results.csv"))
    // 4 cases x 2 families x 2 layouts, each once.
    #expect(table.rows.count == 16)
    #expect(Set(table.records.map { $0["case"]! }) == Set(Suite.quick.cases.map(\.name)))
  }

  @Test func badArgumentsExitTwo() throws {
    let result = try ScriptProcess.run(
      Self.root.appendingPathComponent("Scripts/fleet/slurm-array.sh").path,
      ["--shards", "0", "--out", "x"])
    let text = result.stderr
    #expect(result.status == 2)
    #expect(text == "error: --shards '0' is not allowed; use a count of 1 or more\n")
  }
}
