import Foundation
import Harness
import TestSupport
import Testing

@Suite struct ABCommandTests {
  /// A small real A/B of the built binary against itself: the folder layout, the pairing, the
  /// preflight skipped after each side's first block, and a verdict row per case. The verdicts
  /// themselves are timing, so only "not bad input" is asserted of the exit code. By default
  /// the two blocks of a pair take turns; `--interleave blocks` runs them one after the other.
  @Test(arguments: [nil, "blocks"])
  func eightPairsOfBlocksAreRunInABBAOrderAndCompared(interleave: String?) throws {
    let binary = try SepbenchProcess.binary().path
    let out = FileManager.default.temporaryDirectory
      .appendingPathComponent("sepbench-ab-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try SepbenchProcess.run(
      [
        "ab", "--base", binary, "--head", binary, "--blocks", "8", "--shape", "c8h9o8k3s1p1",
        "--ops", "dw", "--variants", "naive,simd8", "--layouts", "nhwc", "--repetitions", "5",
        "--min-time", "100us", "--out", out.path,
      ] + (interleave.map { ["--interleave", $0] } ?? []))
    #expect(result.exitCode == 0 || result.exitCode == 1, "\(result.stderr)")
    for side in ["base", "head"] {
      let blocks = try FileManager.default.contentsOfDirectory(
        atPath: out.appendingPathComponent(side).path
      ).sorted()
      #expect(blocks == (1...8).map { String(format: "block-%03d", $0) })
    }
    let firstLog = try String(
      contentsOf: out.appendingPathComponent("logs/base-block-001.log"), encoding: .utf8)
    let laterLog = try String(
      contentsOf: out.appendingPathComponent("logs/base-block-002.log"), encoding: .utf8)
    #expect(firstLog.contains("Preflight:"))
    #expect(!laterLog.contains("Preflight:"))
    let csv = try String(contentsOf: out.appendingPathComponent("compare.csv"), encoding: .utf8)
    let rows = csv.split(separator: "\n").dropFirst()
    #expect(rows.count == 2, "dw.naive.nhwc and dw.simd8.nhwc")
    #expect(rows.allSatisfy { $0.contains(",8,true,") }, "8 pairs, paired")
    let manifest = try String(contentsOf: out.appendingPathComponent("ab.json"), encoding: .utf8)
    #expect(manifest.contains("\"pairs\" : 8"))
    let pinned = CPUAffinity.allowed().last!
    if interleave == nil {
      #expect(manifest.contains("\"interleaving\" : \"rounds\""))
      #expect(manifest.contains("\"pinnedCPU\" : \(pinned)"))
    } else {
      #expect(manifest.contains("\"interleaving\" : \"blocks\""))
      #expect(!manifest.contains("pinnedCPU"))
    }
  }

  @Test func aBinaryThatIsNotSepbenchIsBadInput() throws {
    let result = try SepbenchProcess.run(["ab", "--base", "/bin/true", "--head", "/bin/true"])
    #expect(result.exitCode == 2)
    #expect(
      result.stderrLines == [
        "error: '/bin/true' is not a sepbench binary: `run --help-hidden` exited 0 without sepbench's usage"
      ])
  }

  @Test func pairsAlternateWhichBuildStarts() {
    let schedule = ABSchedule(pairs: 6, seed: 1)
    let starts = (0..<6).map { schedule.order(ofPair: $0).first! }
    #expect(zip(starts, starts.dropFirst()).allSatisfy { $0 != $1 }, "ABBA: \(starts)")
    #expect(ABSchedule(pairs: 6, seed: 1) == schedule, "the order follows the seed")
    let seeds = (0..<16).map { ABSchedule(pairs: 1, seed: UInt64($0)).headFirst[0] }
    #expect(Set(seeds) == [true, false], "the starting side depends on the seed")
  }
}
