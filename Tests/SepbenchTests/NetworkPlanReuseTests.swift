import Foundation
import Reports
import TestSupport
import Testing

/// `sepbench network --plan DIR`: an earlier folder's plans run again, kernel for kernel, and
/// a plan that cannot run here is refused before anything is timed.
@Suite struct NetworkPlanReuseTests {
  static let small = NetworkCommandTests.small

  /// A network folder of the small separable network on 1 and 2 threads, removed by `body`'s
  /// caller through `scratch`.
  static func firstRun(in scratch: URL) throws -> URL {
    let folder = scratch.appendingPathComponent("first")
    let result = try SepbenchProcess.run(
      small + ["--threads", "1,2", "--twin", "none", "--out", folder.path])
    #expect(result.exitCode == 0, "\(result.stderr)")
    // The edits below put in the fused block, which exists in NHWC only: the layout every
    // AVX2 or AVX-512 machine picks, its stem reading the planar image.
    for plan in try plans(folder) { try #require(plan["layout"] as? String == "nhwc") }
    return folder
  }

  static func meta(_ folder: URL) throws -> [String: Any] {
    let data = try Data(contentsOf: folder.appendingPathComponent("meta.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  static func plans(_ folder: URL) throws -> [[String: Any]] {
    try #require(try meta(folder)["plans"] as? [[String: Any]])
  }

  /// Rewrites the plans in `folder`'s meta.json with `edit`.
  static func editPlans(_ folder: URL, _ edit: (inout [[String: Any]]) -> Void) throws {
    var object = try meta(folder)
    var plans = try #require(object["plans"] as? [[String: Any]])
    edit(&plans)
    object["plans"] = plans
    try JSONSerialization.data(withJSONObject: object).write(
      to: folder.appendingPathComponent("meta.json"))
  }

  /// `stage`'s entry in a stored plan's stages, changed by `edit`.
  static func editStage(
    _ plan: inout [String: Any], _ stage: String, _ edit: (inout [String: Any]) -> Void
  ) {
    var stages = plan["stages"] as! [[String: Any]]
    let index = stages.firstIndex { $0["stage"] as? String == stage }!
    edit(&stages[index])
    plan["stages"] = stages
  }

  /// The stored plan with no depth-first pair.
  static func clearPairs(_ plan: inout [String: Any]) {
    var stages = plan["stages"] as! [[String: Any]]
    for index in stages.indices { stages[index]["depthFirstWithNext"] = nil }
    plan["stages"] = stages
  }

  @Test func theSecondRunRunsTheFirstRunsPlansWithoutTuning() throws {
    let scratch = NetworkCommandTests.scratch()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let first = try Self.firstRun(in: scratch)
    let second = scratch.appendingPathComponent("second")
    let result = try SepbenchProcess.run(
      Self.small + [
        "--threads", "1,2", "--twin", "none", "--plan", first.path, "--out", second.path,
      ])
    #expect(result.exitCode == 0, "\(result.stderr)")
    #expect(!result.stderr.contains("Tuning"))
    #expect(!result.stderr.contains("kept over"), "no choice inside the network")

    let stored = try JSONSerialization.data(
      withJSONObject: try Self.plans(first), options: .sortedKeys)
    let rerun = try JSONSerialization.data(
      withJSONObject: try Self.plans(second), options: .sortedKeys)
    #expect(stored == rerun)
    let meta = try Self.meta(second)
    #expect(meta["planFrom"] as? String == first.path)
    #expect((meta["depthFirstChoices"] as? [Any])?.isEmpty == true)
    #expect(
      (meta["validation"] as? [[String: Any]])?.allSatisfy { $0["passed"] as? Bool == true } == true
    )
    // No layer was timed alone: the header only.
    let tuning = try CSVTable(contentsOf: second.appendingPathComponent("tuning.csv"))
    #expect(tuning.rows.isEmpty)
    // Every stage ran the stored kernel.
    let table = try CSVTable(contentsOf: second.appendingPathComponent("network.csv"))
    for plan in try Self.plans(first) {
      for stage in try #require(plan["stages"] as? [[String: Any]]) {
        let row = table.records.first {
          $0["threads"] == "\(plan["threads"]!)" && $0["layer"] == stage["stage"] as? String
        }
        #expect(row?["variant_id"] == stage["variant"] as? String, "\(stage)")
      }
    }
  }

  @Test func aStoredPairRunsInTheBandsAskedFor() throws {
    let scratch = NetworkCommandTests.scratch()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let first = try Self.firstRun(in: scratch)
    // b01 and b02 on the fused kernel, depth-first, in bands of 4; no other pair.
    try Self.editPlans(first) { plans in
      for index in plans.indices {
        Self.clearPairs(&plans[index])
        for name in ["b01", "b02"] {
          Self.editStage(&plans[index], name) {
            $0["variant"] = "sep_block.fused.nhwc"
            $0["threads"] = 1
          }
        }
        Self.editStage(&plans[index], "b01") { $0["depthFirstWithNext"] = true }
        plans[index]["depthFirstBandRows"] = 4
      }
    }
    for (bandRows, expected) in [(nil, 4), ("3", 3)] {
      let out = scratch.appendingPathComponent("bands-\(expected)")
      let result = try SepbenchProcess.run(
        Self.small + ["--threads", "1", "--twin", "none", "--plan", first.path, "--out", out.path]
          + (bandRows.map { ["--band-rows", $0] } ?? []))
      #expect(result.exitCode == 0, "\(result.stderr)")
      #expect(
        result.stdout.contains(
          "b01      sep_block.fused.nhwc [tuned], depth-first with the next in bands of \(expected) row(s)"
        ), "\(result.stdout)")
      let plan = try #require(try Self.plans(out).first)
      #expect(plan["depthFirstBandRows"] as? Int == expected)
    }
  }

  @Test func aPlanThatCannotRunHereIsRefusedWithExitTwo() throws {
    let scratch = NetworkCommandTests.scratch()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let first = try Self.firstRun(in: scratch)
    let path = first.path
    let out = scratch.appendingPathComponent("refused")

    func refusal(_ arguments: [String]) throws -> String {
      let result = try SepbenchProcess.run(
        Self.small + ["--twin", "none", "--out", out.path] + arguments)
      #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out.path), "nothing written")
      return result.stderr
    }

    #expect(
      try refusal(["--plan", scratch.appendingPathComponent("none").path])
        == "error: --plan '\(scratch.path)/none' has no meta.json; give a `sepbench network` folder\n"
    )
    #expect(
      try refusal(["--plan", path, "--width", "0.5"])
        == "error: --plan '\(path)' is of mobilenet-v1 at width 0.25 and resolution 32; run that network, width and resolution, or give another folder\n"
    )
    #expect(
      try refusal(["--plan", path, "--threads", "3"])
        == "error: --plan '\(path)' holds no plan for the separable network on 3 thread(s), only separable on 1, separable on 2 thread(s); ask for those with --twin and --threads\n"
    )
    #expect(
      try refusal(["--plan", path, "--from", path])
        == "error: --from and --plan are not allowed together; --plan runs its folder's kernels, --from only reads layer times\n"
    )

    // Edited plans: an unknown kernel, overlapping pairs, a pair whose kernel has no row bands.
    var edits: [(String, (inout [String: Any]) -> Void)] = [
      (
        "error: --plan '\(path)': kernel sep_block.nonexistent.nhwc of stage b03 is not one this build has\n",
        { Self.editStage(&$0, "b03") { $0["variant"] = "sep_block.nonexistent.nhwc" } }
      ),
      (
        "error: --plan '\(path)': the depth-first pairs at b03 and b04 overlap; a stage is in one pair at most\n",
        { plan in
          Self.editStage(&plan, "b03") { $0["depthFirstWithNext"] = true }
          Self.editStage(&plan, "b04") { $0["depthFirstWithNext"] = true }
        }
      ),
      (
        "error: --plan '\(path)': b06's kernel sep_block.bn-folded.nhwc does not run in row bands, so b05 cannot run depth-first with the next\n",
        { plan in
          Self.editStage(&plan, "b05") {
            $0["variant"] = "sep_block.fused.nhwc"
            $0["depthFirstWithNext"] = true
          }
          Self.editStage(&plan, "b06") {
            $0["variant"] = "sep_block.bn-folded.nhwc"
            $0["depthFirstWithNext"] = nil
          }
        }
      ),
    ]
    edits += [
      (
        "error: --plan '\(path)': depthFirstBandRows 0 is not allowed; use 1 to 1024\n",
        { $0["depthFirstBandRows"] = 0 }
      ),
      (
        "error: --plan '\(path)': stage b03 runs on 2 thread(s); a plan for 1 thread(s) allows 1\n",
        { Self.editStage(&$0, "b03") { $0["threads"] = 2 } }
      ),
      (
        "error: --plan '\(path)': meta.json is not a network folder's (plans[0].stages[3].aloneTimeNs: missing); give a `sepbench network` folder\n",
        { Self.editStage(&$0, "b03") { $0["aloneTimeNs"] = nil } }
      ),
    ]
    let original = try Data(contentsOf: first.appendingPathComponent("meta.json"))
    for (message, edit) in edits {
      try original.write(to: first.appendingPathComponent("meta.json"))
      try Self.editPlans(first) { plans in
        for index in plans.indices where plans[index]["threads"] as? Int == 1 {
          Self.clearPairs(&plans[index])
          edit(&plans[index])
        }
      }
      #expect(try refusal(["--plan", path, "--threads", "1"]) == message)
    }
  }
}
