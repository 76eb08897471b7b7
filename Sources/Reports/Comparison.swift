import ConvKernels
import Harness

/// The fastest validated variant of one operator: its id, median time per iteration and
/// algorithm.
public struct BestVariant: Sendable, Equatable {
  public var variant: String
  /// Median ns per iteration.
  public var time: Double
  public var algorithm: ConvAlgorithm

  public init(variant: String, time: Double, algorithm: ConvAlgorithm = .direct) {
    self.variant = variant
    self.time = time
    self.algorithm = algorithm
  }
}

/// Standard vs separable, one row per suite case and thread count, from the best (lowest
/// median) validated variant of each operator. The standard side is given twice: the best
/// direct algorithm (today's `std_*` columns and `measured_speedup`) and the best of any
/// algorithm, Winograd included (`best_std_*`, `speedup_vs_best_standard`).
public struct ComparisonRow: Sendable, Equatable {
  public var suite: String
  public var caseName: String
  public var threads: Int
  public var problem: ConvProblem
  /// MACs of the separable block / MACs of the standard block (1/C_out + 1/K²).
  public var macRatio: Double
  /// Best direct (direct, im2col + GEMM) conv_block variant and its median ns, if any ran: the
  /// simplest standard algorithm.
  public var standard: BestVariant?
  /// Best conv_block variant of any algorithm (Winograd included), if any ran: the strongest
  /// standard baseline.
  public var bestStandard: BestVariant?
  /// Best sep_block variant and its median ns, if any ran.
  public var separable: BestVariant?
  /// Best direct conv variant (the convolution alone, without BN and ReLU).
  public var conv: BestVariant?
  public var dw: BestVariant?
  public var pw: BestVariant?

  /// The speedup the arithmetic promises: 1 / macRatio.
  public var theoreticalSpeedup: Double { 1 / macRatio }
  /// Best direct standard block time / separable block time.
  public var measuredSpeedup: Double? {
    guard let standard, let separable else { return nil }
    return standard.time / separable.time
  }
  /// Best standard block time of any algorithm / separable block time.
  public var speedupVsBestStandard: Double? {
    guard let bestStandard, let separable else { return nil }
    return bestStandard.time / separable.time
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
      func best(_ op: Op, _ algorithms: Set<ConvAlgorithm> = Set(ConvAlgorithm.allCases))
        -> BestVariant?
      {
        rows.filter { $0.op == op && $0.status == .ok && algorithms.contains($0.algorithm) }
          .compactMap { row in
            row.statistics.map {
              BestVariant(variant: row.variantID, time: $0.median, algorithm: row.algorithm)
            }
          }
          .min { $0.time < $1.time }
      }
      let first = rows[0]
      return ComparisonRow(
        suite: first.suite, caseName: first.caseName, threads: first.threads,
        problem: first.blockProblem, macRatio: first.blockProblem.separableMACRatio,
        standard: best(.convBlock, [.direct]), bestStandard: best(.convBlock),
        separable: best(.sepBlock), conv: best(.conv, [.direct]), dw: best(.dw), pw: best(.pw))
    }
  }

  /// Column names of `comparison.csv`.
  public static let header = [
    "schema", "suite", "case", "threads", "n", "c_in", "c_out", "h", "w", "kh", "kw", "stride",
    "pad",
    "mac_ratio", "theoretical_speedup", "std_variant", "std_time_ns", "sep_variant",
    "sep_time_ns", "measured_speedup", "efficiency", "dw_share", "conv_variant", "conv_time_ns",
    "dw_variant", "dw_time_ns", "pw_variant", "pw_time_ns", "best_std_variant",
    "best_std_algorithm", "best_std_time_ns", "speedup_vs_best_standard",
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
    ] + pair(conv) + pair(dw) + pair(pw) + [
      bestStandard?.variant ?? "", bestStandard?.algorithm.rawValue ?? "",
      DecimalText.text(bestStandard?.time, digits: 1),
      DecimalText.text(speedupVsBestStandard, digits: 4),
    ]
  }
}
