import Foundation
import Harness

/// The comparison table printed at the end of a run, columns aligned, then the AVX-512
/// against AVX2 table where both levels ran (`ISASummary`), then the count of cases.
public struct ConsoleSummary {
  public let results: [CaseResult]

  public init(results: [CaseResult]) { self.results = results }

  public var text: String {
    let rows = ComparisonRow.rows(from: results)
    let header = [
      "case", "thr", "shape", "MAC ratio", "std best (direct)", "ms", "std best (any)", "ms",
      "sep best", "ms", "speedup", "vs any", "theory", "effic.", "dw share",
    ]
    func ms(_ value: BestVariant?) -> [String] {
      [value?.variant ?? "-", value.map { String(format: "%.3f", $0.time / 1e6) } ?? "-"]
    }
    func number(_ value: Double?, _ format: String) -> String {
      value.map { String(format: format, $0) } ?? "-"
    }
    var table = [header]
    for row in rows {
      let p = row.problem
      table.append(
        [
          row.caseName, String(row.threads),
          "\(p.inChannels)->\(p.outChannels) \(p.height)x\(p.width) s\(p.stride)",
          String(format: "%.4f", row.macRatio),
        ]
          + ms(row.standard) + ms(row.bestStandard) + ms(row.separable)
          + [
            number(row.measuredSpeedup, "%.2fx"), number(row.speedupVsBestStandard, "%.2fx"),
            String(format: "%.2fx", row.theoreticalSpeedup),
            number(row.efficiency, "%.2f"), number(row.depthwiseShare, "%.2f"),
          ])
    }
    // Case, threads, shape and the best variants on the left, numbers on the right.
    let lines = AlignedText.lines(
      table, rightAligned: Set(header.indices).subtracting([0, 1, 2, 4, 6, 8]))
    let counts = Dictionary(grouping: results, by: \.status).mapValues(\.count)
    let footer =
      "\(counts[.ok] ?? 0) cases timed, \(counts[.failed] ?? 0) failed validation, \(counts[.skipped] ?? 0) skipped"
    let isa = ISASummary(rows: ISAComparisonRow.rows(from: results)).lines
    return (lines + (isa.isEmpty ? [] : [""] + isa) + [footer]).joined(separator: "\n")
  }
}

/// One line on the measured ceilings.
public enum CeilingsSummary {
  public static func text(_ c: MachineCeilings) -> String {
    let wider = (c.isaPeaks ?? []).filter { $0.isa > .avx2 }.map {
      String(
        format: "; %@ FMA peak %.1f GFLOP/s (1 thread), %.1f (%d threads)", $0.isa.rawValue,
        $0.oneThread, $0.allThreads, c.threads)
    }
    return String(
      format:
        "Ceilings: FMA peak %.1f GFLOP/s (1 thread), %.1f (%d threads)%@; triad %.1f GB/s to memory (1 thread), %.1f (%d threads), %.1f in L2",
      c.peakGFLOPSOneThread, c.peakGFLOPSAllThreads, c.threads, wider.joined(),
      c.memoryGBPSOneThread, c.memoryGBPSAllThreads, c.threads, c.l2GBPSOneThread)
  }
}
