import Foundation
import Reports
import TestSupport
import Testing

/// `compare --best-per-op`: each side reduced to its fastest variant per operator, case and
/// thread count, so two tools (sepbench and a peer) compare operator by operator.
@Suite struct BestPerOperatorTests {
  /// The fastest variant per operator of a fixture block, from its samples.csv by hand.
  static func fastest(_ block: String) throws -> [String: String] {
    let table = try CSVTable(
      contentsOf: RegressionFixture.root.appendingPathComponent("\(block)/samples.csv"))
    var samples: [String: [Double]] = [:]
    for r in table.records {
      samples["\(r["op"]!).\(r["variant"]!).\(r["layout"]!)", default: []].append(
        Double(r["time_ns"]!)!)
    }
    func median(_ v: [Double]) -> Double {
      let s = v.sorted()
      return (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    var best: [String: (String, Double)] = [:]
    for (id, values) in samples {
      let op = String(id.prefix { $0 != "." })
      let m = median(values)
      if best[op].map({ m < $0.1 }) ?? true { best[op] = (id, m) }
    }
    return best.mapValues(\.0)
  }

  @Test func eachOperatorKeepsOnlyItsFastestVariant() throws {
    let run = try MeasuredRun.read(RegressionFixture.path("base/block-001"))
    let (reduced, chosen) = run.bestPerOperator()
    let keys = reduced.cases.sorted()
    #expect(keys.map(\.variantID) == ["dw.best.any", "pw.best.any"])
    let want = try Self.fastest("base/block-001")
    for key in keys {
      #expect(chosen[key] == want[key.op], "\(key)")
      let original = run.cases.first { $0.variantID == chosen[key] }!
      #expect(reduced.blocks[0].samples[key] == run.blocks[0].samples[original])
    }
  }

  @Test func compareNamesBothSidesVariantsInTheReason() throws {
    let result = try SepbenchProcess.run([
      "compare", RegressionFixture.path("base/block-001"), RegressionFixture.path("head/block-001"),
      "--best-per-op",
    ])
    #expect(result.exitCode == 0, "\(result.stderr)")
    let base = try Self.fastest("base/block-001")
    let head = try Self.fastest("head/block-001")
    #expect(result.stdout.contains("dw.best.any"))
    #expect(result.stdout.contains("BASE \(base["dw"]!), HEAD \(head["dw"]!)"), "\(result.stdout)")
    #expect(result.stdout.contains("BASE \(base["pw"]!), HEAD \(head["pw"]!)"), "\(result.stdout)")
  }

  /// A peer's folder carries only the machine half of the fingerprint; the build half of
  /// sepbench's (Swift, kernel flags, PAPI) must not make them "different machines".
  @Test func aPeerIsComparedOnTheMachineFieldsOnly() throws {
    let ours = MachineFingerprint.current()
    var peer = ours
    peer.swift = ""
    peer.configuration = ""
    peer.kernelFlags = ""
    peer.papiTrait = !ours.papiTrait
    #expect(ours.differences(from: peer, machineOnly: true).isEmpty)
    #expect(ours.differences(from: peer).count == 4)
    peer.logicalCores += 1
    #expect(
      ours.differences(from: peer, machineOnly: true) == [
        "cores: \(ours.logicalCores) vs \(ours.logicalCores + 1)"
      ])
  }
}
