import ConvKernels
import Harness

/// The fastest validated variant of one operator: its id and median time per iteration.
public struct BestVariant: Sendable, Equatable {
  public var variant: String
  /// Median ns per iteration.
  public var time: Double

  public init(variant: String, time: Double) {
    self.variant = variant
    self.time = time
  }
}

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
  public var standard: BestVariant?
  /// Best sep_block variant and its median ns, if any ran.
  public var separable: BestVariant?
  public var conv: BestVariant?
  public var dw: BestVariant?
  public var pw: BestVariant?

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
      func best(_ op: Op) -> BestVariant? {
        rows.filter { $0.op == op && $0.status == .ok }
          .compactMap { row in
            row.statistics.map { BestVariant(variant: row.variantID, time: $0.median) }
          }
          .min { $0.time < $1.time }
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
    "schema", "suite", "case", "threads", "n", "c_in", "c_out", "h", "w", "kh", "kw", "stride",
    "pad",
    "mac_ratio", "theoretical_speedup", "std_variant", "std_time_ns", "sep_variant",
    "sep_time_ns", "measured_speedup", "efficiency", "dw_share", "conv_variant", "conv_time_ns",
    "dw_variant", "dw_time_ns", "pw_variant", "pw_time_ns",
  ]

  /// This row's cells, in `header` order.
  public var cells: [String] {
    let p = problem
    func pair(_ value: BestVariant?) -> [String] {
      [value?.variant ?? "", DecimalText.text(value?.time, digits: 1)]
    }
    return [
      String(ResultsColumn.schemaVersion), suite, caseName, String(threads), String(p.batch),
      String(p.inChannels), String(p.outChannels), String(p.height), String(p.width),
      String(p.kernelH), String(p.kernelW), String(p.stride), String(p.pad),
      DecimalText.text(macRatio, digits: 6),
      DecimalText.text(theoreticalSpeedup, digits: 4),
    ] + pair(standard) + pair(separable) + [
      DecimalText.text(measuredSpeedup, digits: 4), DecimalText.text(efficiency, digits: 4),
      DecimalText.text(depthwiseShare, digits: 4),
    ] + pair(conv) + pair(dw) + pair(pw)
  }
}
