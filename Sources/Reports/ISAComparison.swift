import ConvKernels
import Foundation
import Harness

/// AVX-512 against AVX2 on one operator, suite case and thread count: the fastest validated
/// variant of each level (any layout, any algorithm) and the ratio of their medians. A row of
/// `isa.csv`.
///
/// The samples of a case's variants are taken round-robin, so both sides of a row saw the same
/// minutes of the machine. On a CPU whose 16-wide FMA peak equals its 8-wide one (a Zen 4
/// runs AVX-512 on 256-bit units) the ratio says what the 32 registers and wider loads are
/// worth; on one with two 512-bit FMA units, how much of the doubled peak the kernels reach.
public struct ISAComparisonRow: Sendable, Equatable {
  public var suite: String
  public var caseName: String
  public var op: Op
  public var threads: Int
  /// The fastest validated AVX2 variant and its median ns per iteration.
  public var avx2: BestVariant
  /// The fastest validated AVX-512 variant and its median ns per iteration.
  public var avx512: BestVariant

  public init(
    suite: String, caseName: String, op: Op, threads: Int, avx2: BestVariant,
    avx512: BestVariant
  ) {
    self.suite = suite
    self.caseName = caseName
    self.op = op
    self.threads = threads
    self.avx2 = avx2
    self.avx512 = avx512
  }

  /// AVX-512's median time over AVX2's: below 1, the AVX-512 families are faster.
  public var ratio: Double { avx512.time / avx2.time }

  /// The suite case, operator and thread count a row compares.
  struct RowKey: Hashable {
    var suite, caseName: String
    var op: Op
    var threads: Int
  }

  /// The rows of a set of results: one per suite case, operator and thread count for which a
  /// variant of each level validated and was timed, in the order the results first name them.
  public static func rows(from results: [CaseResult]) -> [ISAComparisonRow] {
    rows(
      from: results.compactMap { row in
        guard row.status == .ok, let median = row.statistics?.median else { return nil }
        return (
          RowKey(suite: row.suite, caseName: row.caseName, op: row.op, threads: row.threads),
          row.isa, BestVariant(variant: row.variantID, time: median, algorithm: row.algorithm)
        )
      })
  }

  /// The same rows from the records of a `results.csv` (its `suite`, `case`, `op`, `variant`,
  /// `layout`, `threads`, `status`, `isa`, `algorithm` and `time_median_ns` columns), as
  /// `merge` rebuilds them. Records without an `isa` (schema 1) take no part.
  public static func rows(fromRecords records: [[String: String]]) -> [ISAComparisonRow] {
    rows(
      from: records.compactMap { record in
        guard record["status"] == CaseStatus.ok.rawValue,
          let isa = record["isa"].flatMap(ISA.init(rawValue:)),
          let op = record["op"].flatMap(Op.init(rawValue:)),
          let threads = record["threads"].flatMap({ Int($0) }),
          let median = record["time_median_ns"].flatMap({ Double($0) }),
          let suite = record["suite"], let caseName = record["case"],
          let family = record["variant"], let layout = record["layout"]
        else { return nil }
        let id = CaseKey(
          suite: suite, caseName: caseName, op: op.rawValue, variant: family, layout: layout,
          threads: threads
        ).variantID
        let algorithm = record["algorithm"].flatMap(ConvAlgorithm.init(rawValue:)) ?? .direct
        return (
          RowKey(suite: suite, caseName: caseName, op: op, threads: threads), isa,
          BestVariant(variant: id, time: median, algorithm: algorithm)
        )
      })
  }

  /// The fastest of `candidates` per row and level, for the rows that have an AVX2 and an
  /// AVX-512 one.
  static func rows(from candidates: [(key: RowKey, isa: ISA, variant: BestVariant)])
    -> [ISAComparisonRow]
  {
    var order: [RowKey] = []
    var best: [RowKey: [ISA: BestVariant]] = [:]
    for (key, isa, variant) in candidates {
      if best[key] == nil { order.append(key) }
      if variant.time < best[key]?[isa]?.time ?? .infinity {
        best[key, default: [:]][isa] = variant
      }
    }
    return order.compactMap { key in
      guard let avx2 = best[key]?[.avx2], let avx512 = best[key]?[.avx512] else { return nil }
      return ISAComparisonRow(
        suite: key.suite, caseName: key.caseName, op: key.op, threads: key.threads,
        avx2: avx2, avx512: avx512)
    }
  }

  /// Column names of `isa.csv`.
  public static let header = [
    "schema", "suite", "case", "op", "threads", "avx2_variant", "avx2_time_ns",
    "avx512_variant", "avx512_time_ns", "avx512_over_avx2", "faster_isa",
  ]

  /// This row's cells, in `header` order.
  public var cells: [String] {
    [
      String(ResultsColumn.schemaVersion), suite, caseName, op.rawValue, String(threads),
      avx2.variant, DecimalText.text(avx2.time, digits: 1),
      avx512.variant, DecimalText.text(avx512.time, digits: 1),
      DecimalText.text(ratio, digits: 4),
      ratio < 1 ? ISA.avx512.rawValue : ratio > 1 ? ISA.avx2.rawValue : "equal",
    ]
  }
}

/// The ISA rows summed up per operator and thread count, for the end of a run: how many cases,
/// the range and median of the ratios, and in how many AVX-512 was faster or no more than
/// `tolerance` slower.
public struct ISASummary: Sendable {
  public let rows: [ISAComparisonRow]
  /// A ratio up to 1 + tolerance counts as no slower (default 0.02).
  public var tolerance: Double

  public init(rows: [ISAComparisonRow], tolerance: Double = 0.02) {
    self.rows = rows
    self.tolerance = tolerance
  }

  /// The aligned table; empty when no case timed both levels.
  public var lines: [String] {
    guard !rows.isEmpty else { return [] }
    var groups: [String: [ISAComparisonRow]] = [:]
    var order: [String] = []
    for row in rows {
      let key = "\(row.op.rawValue) \(row.threads)"
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(row)
    }
    let header = ["op", "thr", "cases", "min", "median", "max", "avx512 faster", "within"]
    var table = [header]
    for key in order {
      let group = groups[key]!
      let ratios = group.map(\.ratio).sorted()
      let median = RatioEstimator.median(ratios)
      table.append([
        group[0].op.rawValue, String(group[0].threads), String(group.count),
        String(format: "%.3f", ratios.first!), String(format: "%.3f", median),
        String(format: "%.3f", ratios.last!),
        String(ratios.filter { $0 < 1 }.count),
        String(ratios.filter { $0 <= 1 + tolerance }.count),
      ])
    }
    let title = String(
      format: "AVX-512 against AVX2, best variant of each (median time ratio; below 1: "
        + "AVX-512 faster; within: at most %.0f %% slower):",
      tolerance * 100)
    return [title]
      + AlignedText.lines(table, rightAligned: Set(header.indices).subtracting([0]))
  }
}
