import Harness

/// The console summary of `sepbench network`: each network's latency, then where the
/// separable network spends its time.
public struct NetworkSummary: Sendable {
  public let table: NetworkTable

  public init(table: NetworkTable) { self.table = table }

  public var text: String {
    func ms(_ ns: Double?) -> String { DecimalText.text(ns.map { $0 / 1e6 }, digits: 3) }
    func ratio(_ value: Double?) -> String {
      value.map { DecimalText.text($0, digits: 2) + "x" } ?? ""
    }
    var rows = [
      [
        "model", "threads", "layout", "latency ms", "95% CI", "GFLOP/s", "sum alone ms",
        "separable faster", "mult ratio",
      ]
    ]
    for row in table.totals {
      let s = row.statistics
      rows.append([
        row.model, String(row.threads), row.layout, ms(s.median),
        "\(ms(s.medianLow))–\(ms(s.medianHigh))",
        DecimalText.text(2 * Double(row.macs) / s.median, digits: 1), ms(row.aloneNanoseconds),
        ratio(row.speedupOfSeparable), ratio(row.multRatio),
      ])
    }
    var lines = AlignedText.lines(rows, rightAligned: [1, 3, 5, 6, 7, 8])
    for total in table.totals where total.model == NetworkForm.separable.rawValue {
      lines.append("")
      lines.append("separable network, \(total.threads) thread(s): time per stage")
      var stageRows = [["stage", "kernel", "ms", "share", "GFLOP/s", "alone ms", "in net / alone"]]
      for row in table.rows
      where row.model == total.model && row.threads == total.threads && row.layer != "total" {
        let median = row.statistics.median
        stageRows.append([
          row.layer, row.variantID, ms(median), DecimalText.text(100 * row.share, digits: 1) + "%",
          row.macs > 0 ? DecimalText.text(2 * Double(row.macs) / median, digits: 1) : "",
          ms(row.aloneNanoseconds), ratio(row.aloneNanoseconds.map { median / $0 }),
        ])
      }
      lines += AlignedText.lines(stageRows, rightAligned: [2, 3, 4, 5, 6]).map { "  " + $0 }
    }
    return lines.joined(separator: "\n")
  }
}
