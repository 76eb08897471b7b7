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

  /// Roofline columns: percent of the measured FMA peak and of memory bandwidth.
  public static let rooflineColumns = ["pct_peak_flops", "pct_peak_bw"]

  /// Every column, in order.
  public var header: [String] {
    ResultsColumn.allCases.map(\.rawValue) + Self.rooflineColumns
      + events.map(CaseResult.counterColumn) + CaseResult.derivedMetricNames
  }

  /// The cells of one row.
  public func cells(_ row: CaseResult) -> [String] {
    var cells = ResultsColumn.allCases.map { $0.cell(row) }
    if let ceilings, let gflops = row.gflops, let gbps = row.gbps {
      cells.append(
        DecimalText.text(100 * gflops / ceilings.peakGFLOPS(threads: row.threads), digits: 2))
      cells.append(DecimalText.text(100 * gbps / ceilings.memoryGBPS(threads: row.threads), digits: 2))
    } else {
      cells += ["", ""]
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
