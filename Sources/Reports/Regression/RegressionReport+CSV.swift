/// `compare.csv`: one row per case, worst first. Columns are only ever added.
extension RegressionReport {
  public static let csvFile = "compare.csv"

  public static let csvHeader = [
    "schema", "suite", "case", "op", "variant", "layout", "threads", "isa", "variant_id",
    "metric", "n_base", "n_head", "blocks", "paired", "base_median", "head_median", "ratio",
    "ci_low", "ci_high", "ci_level", "threshold", "p_value", "verdict", "reason",
  ]

  public var csv: String {
    var writer = CSVWriter(header: Self.csvHeader)
    for row in rows {
      let e = row.estimate
      writer.append([
        String(ResultsColumn.schemaVersion), row.key.suite, row.key.caseName, row.key.op,
        row.key.variant, row.key.layout, String(row.key.threads), row.key.isa, row.key.variantID,
        metric, e.map { String($0.baseSamples) } ?? "", e.map { String($0.headSamples) } ?? "",
        e.map { String($0.blocks) } ?? "", e.map { $0.paired ? "true" : "false" } ?? "",
        DecimalText.text(e?.baseMedian, digits: 1), DecimalText.text(e?.headMedian, digits: 1),
        DecimalText.text(e?.ratio, digits: 5), DecimalText.text(e?.low, digits: 5),
        DecimalText.text(e?.high, digits: 5), DecimalText.text(e?.level, digits: 3),
        e == nil ? "" : DecimalText.text(row.threshold, digits: 4),
        DecimalText.text(e?.pValue, digits: 5), row.verdict.rawValue, row.reason,
      ])
    }
    return writer.text
  }
}
