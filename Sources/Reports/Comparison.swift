import ConvKernels
import Harness

/// Standard vs separable, one row per suite case and thread count, from the best (lowest
/// median) validated variant of each operator.
public struct ComparisonRow: Sendable, Equatable {
  public var suite: String
  public var caseName: String
  public var threads: Int
  public var problem: ConvProblem
  /// MACs of the separable block / MACs of the standard block (1/C_out + 1/K²).
  public var macRatio: Double
  /// Best conv_block variant and its median ns, if any ran.
  public var standard: (variant: String, time: Double)?
  /// Best sep_block variant and its median ns, if any ran.
  public var separable: (variant: String, time: Double)?
  public var conv: (variant: String, time: Double)?
  public var dw: (variant: String, time: Double)?
  public var pw: (variant: String, time: Double)?

  /// The speedup the arithmetic promises: 1 / macRatio.
  public var theoreticalSpeedup: Double { 1 / macRatio }
  /// Standard block time / separable block time.
  public var measuredSpeedup: Double? {
    guard let standard, let separable else { return nil }
    return standard.time / separable.time
  }
  /// Measured speedup / theoretical speedup: 1 means the separable block is as much faster as
  /// its MACs say.
  public var efficiency: Double? { measuredSpeedup.map { $0 / theoreticalSpeedup } }
  /// Best dw time / (best dw time + best pw time): the share of the separable work's time
  /// spent in the depthwise part, from the standalone operators.
  public var depthwiseShare: Double? {
    guard let dw, let pw else { return nil }
    return dw.time / (dw.time + pw.time)
  }

  public static func == (a: ComparisonRow, b: ComparisonRow) -> Bool {
    a.suite == b.suite && a.caseName == b.caseName && a.threads == b.threads
      && a.problem == b.problem && a.standard?.variant == b.standard?.variant
      && a.standard?.time == b.standard?.time && a.separable?.variant == b.separable?.variant
      && a.separable?.time == b.separable?.time
  }

  /// The comparison rows of a set of results, in suite-case order, then by threads.
  public static func rows(from results: [CaseResult]) -> [ComparisonRow] {
    var order: [String] = []
    var groups: [String: [CaseResult]] = [:]
    for row in results {
      let key = "\(row.suite)\u{0}\(row.caseName)\u{0}\(row.threads)"
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(row)
    }
    return order.map { key in
      let rows = groups[key]!
      func best(_ op: Op) -> (variant: String, time: Double)? {
        rows.filter { $0.op == op && $0.status == .ok }
          .compactMap { row in row.statistics.map { (row.variantID, $0.median) } }
          .min { $0.1 < $1.1 }
      }
      let first = rows[0]
      return ComparisonRow(
        suite: first.suite, caseName: first.caseName, threads: first.threads,
        problem: first.blockProblem, macRatio: first.blockProblem.separableMACRatio,
        standard: best(.convBlock), separable: best(.sepBlock), conv: best(.conv), dw: best(.dw),
        pw: best(.pw))
    }
  }

  /// Column names of `comparison.csv`.
  public static let header = [
    "schema", "suite", "case", "threads", "n", "c_in", "c_out", "h", "w", "k", "stride",
    "mac_ratio", "theoretical_speedup", "std_variant", "std_time_ns", "sep_variant",
    "sep_time_ns", "measured_speedup", "efficiency", "dw_share", "conv_variant", "conv_time_ns",
    "dw_variant", "dw_time_ns", "pw_variant", "pw_time_ns",
  ]

  /// This row's cells, in `header` order.
  public var cells: [String] {
    let p = problem
    func pair(_ value: (variant: String, time: Double)?) -> [String] {
      [value?.variant ?? "", Decimal.text(value?.time, digits: 1)]
    }
    return [
      String(ResultsColumn.schemaVersion), suite, caseName, String(threads), String(p.batch),
      String(p.inChannels), String(p.outChannels), String(p.height), String(p.width),
      String(p.kernelH), String(p.stride), Decimal.text(macRatio, digits: 6),
      Decimal.text(theoreticalSpeedup, digits: 4),
    ] + pair(standard) + pair(separable) + [
      Decimal.text(measuredSpeedup, digits: 4), Decimal.text(efficiency, digits: 4),
      Decimal.text(depthwiseShare, digits: 4),
    ] + pair(conv) + pair(dw) + pair(pw)
  }
}
