import Harness

/// The full column set of one run's `results.csv`: the fixed `ResultsColumn`s, the roofline
/// percentages, one `ctr_<EVENT>` column per requested event (per iteration, summed over
/// threads; empty where unavailable), then the derived metrics (empty where an input is
/// missing). The same
/// columns for every row, so the file stays rectangular.
public struct ResultsTable: Sendable {
  /// Requested counter events, in column order.
  public let events: [String]
  public let ceilings: MachineCeilings?

  public init(events: [String], ceilings: MachineCeilings?) {
    self.events = events
    self.ceilings = ceilings
  }

  /// Roofline columns: percent of the measured FMA peak of the row's own ISA (8-wide for
  /// generic and AVX2 rows, 16-wide for AVX-512 ones), of memory bandwidth, and of the
  /// machine's best FMA peak (the widest vectors it runs).
  public static let rooflineColumns = ["pct_peak_flops", "pct_peak_bw", "pct_best_peak_flops"]

  /// Every column, in order.
  public var header: [String] {
    ResultsColumn.allCases.map(\.rawValue) + Self.rooflineColumns
      + events.map(CaseResult.counterColumn) + CaseResult.derivedMetricNames
  }

  /// The cells of one row.
  public func cells(_ row: CaseResult) -> [String] {
    var cells = ResultsColumn.allCases.map { $0.cell(row) }
    if let ceilings, let gflops = row.gflops, let gbps = row.gbps {
      let own = ceilings.peakGFLOPS(threads: row.threads, isa: row.isa)
      cells.append(DecimalText.text(100 * gflops / own, digits: 2))
      cells.append(
        DecimalText.text(100 * gbps / ceilings.memoryGBPS(threads: row.threads), digits: 2))
      let best = ceilings.bestPeakGFLOPS(threads: row.threads)
      cells.append(DecimalText.text(100 * gflops / best, digits: 2))
    } else {
      cells += ["", "", ""]
    }
    for event in events { cells.append(DecimalText.text(row.counters[event] ?? nil, digits: 3)) }
    for metric in row.derivedMetrics { cells.append(DecimalText.text(metric.value, digits: 4)) }
    return cells
  }

  /// The whole `results.csv`.
  public func csv(_ results: [CaseResult]) -> String {
    var writer = CSVWriter(header: header)
    for row in results { writer.append(cells(row)) }
    return writer.text
  }
}
