import Foundation
import Reports
import TestSupport
import Testing

/// `run --shard I/N` and `merge`, run as subprocesses on a fast slice of the quick suite.
@Suite(.serialized) struct MergeCommandTests {
  static let plan = [
    "--suite", "quick", "--ops", "dw", "--variants", "naive,simd8", "--min-time", "200us",
    "--repetitions", "3", "--no-ceilings", "--events", "none", "--no-preflight",
  ]

  static func run(_ arguments: [String]) throws -> SepbenchOutput {
    let result = try SepbenchProcess.run(arguments)
    #expect(result.exitCode == 0, "\(arguments): \(result.stderr)")
    return result
  }

  static func keys(_ folder: URL) throws -> Set<String> {
    let table = try CSVTable(contentsOf: folder.appendingPathComponent("results.csv"))
    return Set(
      table.records.map { record in
        ["case", "op", "variant", "layout", "threads"].map { record[$0]! }.joined(separator: "/")
      })
  }

  @Test func twoShardsMergedEqualTheUnshardedRun() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let (one, two, whole, merged) = (
      scratch.appendingPathComponent("one"), scratch.appendingPathComponent("two"),
      scratch.appendingPathComponent("whole"), scratch.appendingPathComponent("merged")
    )
    _ = try Self.run(["run"] + Self.plan + ["--shard", "1/2", "--out", one.path])
    _ = try Self.run(["run"] + Self.plan + ["--shard", "2/2", "--out", two.path])
    _ = try Self.run(["run"] + Self.plan + ["--out", whole.path])
    let made = try Self.run(["merge", one.path, two.path, "--out", merged.path])
    #expect(made.stdout.contains("Merged 2 folders, 16 rows, 1 machine"))

    // Shards are disjoint, recorded, and together the whole plan.
    let (a, b) = (try Self.keys(one), try Self.keys(two))
    #expect(a.isDisjoint(with: b) && !a.isEmpty && !b.isEmpty)
    #expect(a.union(b) == (try Self.keys(whole)))
    #expect(try Self.keys(merged) == (try Self.keys(whole)))
    let header = { (folder: URL) in
      try CSVTable(contentsOf: folder.appendingPathComponent("results.csv")).header
    }
    #expect(try header(merged) == (try header(whole)))
    let shardMeta = try ResultFolder(url: one).readMetadata()
    #expect(shardMeta.plan.shard == "1/2")
    #expect(shardMeta.plan.cases.map { $0.prefix { $0 != "=" } } == ["q.c16h14s1", "q.c24h9w11"])
    let mergedMeta = try ResultFolder(url: merged).readMetadata()
    #expect(mergedMeta.plan.cases == (try ResultFolder(url: whole).readMetadata()).plan.cases)
    #expect(mergedMeta.completed && mergedMeta.plan.shard == nil && mergedMeta.machines == nil)
    #expect(mergedMeta.mergedFrom == [one.path, two.path])
  }

  /// Two folders whose fingerprints differ (one edited, as from another CPU model) are kept
  /// apart by a `machine` column, and meta.json lists both machines.
  @Test func twoMachinesAreKeptSideBySide() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let here = scratch.appendingPathComponent("here")
    let there = scratch.appendingPathComponent("there")
    _ = try Self.run(["run"] + Self.plan + ["--shard", "1/4", "--out", here.path])
    try FileManager.default.copyItem(at: here, to: there)
    var meta = try ResultFolder(url: there).readMetadata()
    let model = meta.fingerprint?.cpuModelNumber ?? 0
    meta.fingerprint?.cpuModelNumber = model + 16
    meta.machine.cpuModel += " (another model)"
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(meta).write(to: there.appendingPathComponent("meta.json"))

    let merged = scratch.appendingPathComponent("merged")
    let made = try Self.run(["merge", here.path, there.path, "--out", merged.path])
    #expect(made.stdout.contains("2 machines"))
    let table = try CSVTable(contentsOf: merged.appendingPathComponent("results.csv"))
    #expect(table.header.last == "machine")
    let ids = Set(table.records.map { $0["machine"]! })
    #expect(ids.count == 2)
    let machines = try #require(try ResultFolder(url: merged).readMetadata().machines)
    #expect(Set(machines.map(\.id)) == ids)
    #expect(machines.map(\.machine.cpuModel).last?.hasSuffix("(another model)") == true)
    let samples = try CSVTable(contentsOf: merged.appendingPathComponent("samples.csv"))
    #expect(Set(samples.records.map { $0["machine"]! }) == ids)
  }

  @Test func theSameCaseTwiceOnOneMachineIsRefused() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let one = scratch.appendingPathComponent("one")
    _ = try Self.run(["run"] + Self.plan + ["--shard", "1/4", "--out", one.path])
    let merged = scratch.appendingPathComponent("merged")
    let result = try SepbenchProcess.run(["merge", one.path, one.path, "--out", merged.path])
    #expect(result.exitCode == 2)
    #expect(
      result.stderr
        == "error: \(one.path) and \(one.path) both hold q.c16h14s1 dw.naive.nchw on the same machine; merge each case once (shards of one plan, or runs of different machines)\n"
    )
    #expect(!FileManager.default.fileExists(atPath: merged.path))
  }

  @Test(arguments: [
    ("3/2", "error: --shard 3/2 is not allowed; use I/N with 1 <= I <= N, e.g. 1/4"),
    ("1/5", "error: --shard 1/5 is not allowed: the plan has 4 cases, so N must be at most 4"),
    ("x", "error: --shard x is not allowed; use I/N with 1 <= I <= N, e.g. 1/4"),
  ])
  func badShardsExitTwo(shard: String, message: String) throws {
    let result = try SepbenchProcess.run(
      ["run"] + Self.plan + ["--shard", shard, "--out", "/nonexistent/x"])
    #expect(result.exitCode == 2)
    #expect(result.stderr == message + "\n")
  }
}

/// `report` on a merge of two machines puts the separable efficiency of each side by side.
@Suite struct MergedReportTests {
  @Test func aMergeOfTwoMachinesIsReportedSideBySide() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let plan = [
      "--suite", "quick", "--ops", "sep_block,conv_block", "--variants", "fused,bn-folded",
      "--layouts", "nhwc", "--min-time", "200us", "--repetitions", "3", "--no-ceilings",
      "--events", "none", "--no-preflight", "--shard", "1/4",
    ]
    let here = scratch.appendingPathComponent("here")
    let there = scratch.appendingPathComponent("there")
    _ = try MergeCommandTests.run(["run"] + plan + ["--out", here.path])
    try FileManager.default.copyItem(at: here, to: there)
    var meta = try ResultFolder(url: there).readMetadata()
    let model = meta.fingerprint?.cpuModelNumber ?? 0
    meta.fingerprint?.cpuModelNumber = model + 16
    meta.machine.cpuModel = "Another CPU"
    try JSONEncoder().encode(meta).write(to: there.appendingPathComponent("meta.json"))
    let merged = scratch.appendingPathComponent("merged")
    _ = try MergeCommandTests.run(["merge", here.path, there.path, "--out", merged.path])
    let page = scratch.appendingPathComponent("report.html")
    _ = try MergeCommandTests.run(["report", merged.path, "--out", page.path])
    let html = try String(contentsOf: page, encoding: .utf8)
    #expect(html.contains("<h3>Machines side by side</h3>"))
    #expect(html.contains("Another CPU ["))
    // One efficiency bar per machine for the one case of the shard.
    let section = html.components(separatedBy: "<h3>Machines side by side</h3>")[1]
      .components(separatedBy: "<h3>")[0]
    #expect(section.components(separatedBy: "class=\"summary-bar\"").count - 1 == 2)
  }
}
