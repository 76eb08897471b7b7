import Harness

/// The full column set of one run's `results.csv`: the fixed `ResultsColumn`s, the roofline
/// percentages, one `ctr_<EVENT>` column per requested event, then derived metrics. The same
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

  /// CSV column name of a counter event: `ctr_` and the name with every character outside
  /// letters, digits and `_` replaced by `_` (`perf::TASK-CLOCK` → `ctr_perf__TASK_CLOCK`).
  public static func counterColumn(_ event: String) -> String {
    "ctr_" + String(event.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
  }

  /// Every column, in order.
  public var header: [String] {
    ResultsColumn.allCases.map(\.rawValue) + Self.rooflineColumns + events.map(Self.counterColumn)
  }

  /// The cells of one row.
  public func cells(_ row: CaseResult) -> [String] {
    var cells = ResultsColumn.allCases.map { $0.cell(row) }
    if let ceilings, let gflops = row.gflops, let gbps = row.gbps {
      cells.append(Decimal.text(100 * gflops / ceilings.peakGFLOPS(threads: row.threads), digits: 2))
      cells.append(Decimal.text(100 * gbps / ceilings.memoryGBPS(threads: row.threads), digits: 2))
    } else {
      cells += ["", ""]
    }
    for event in events { cells.append(Decimal.text(row.counters[event] ?? nil, digits: 3)) }
    return cells
  }

  /// The whole `results.csv`.
  public func csv(_ results: [CaseResult]) -> String {
    var writer = CSVWriter(header: header)
    for row in results { writer.append(cells(row)) }
    return writer.text
  }
}
