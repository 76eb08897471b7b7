import Foundation

/// The section of a `sepbench compare --out` folder: every case's HEAD/BASE ratio with its
/// interval, coloured by verdict, worst first.
struct ComparisonSection {
  /// Position of the folder on the command line: the chart's id is `c<index>`.
  let index: Int
  let path: String
  let table: CSVTable

  /// One compare.csv row that has a ratio.
  struct Row {
    let caseName: String
    let variant: String
    let ratio: Double
    let low: Double?
    let high: Double?
    let verdict: String
    let reason: String
  }

  var html: String {
    let records = table.records.compactMap { r -> Row? in
      guard let ratio = Double(r["ratio"] ?? "") else { return nil }
      return Row(
        caseName: r["case"]!, variant: r["variant_id"]!, ratio: ratio,
        low: Double(r["ci_low"] ?? ""), high: Double(r["ci_high"] ?? ""), verdict: r["verdict"]!,
        reason: r["reason"] ?? "")
    }.sorted { $0.ratio > $1.ratio }
    let skipped = table.records.filter { Double($0["ratio"] ?? "") == nil }
    var html = "<section><h2>Comparison: \(escapeHTML(path))</h2>"
    let counts = Dictionary(grouping: table.records, by: { $0["verdict"] ?? "" }).mapValues(\.count)
    html +=
      "<p>"
      + ["regression", "improvement", "unchanged", "inconclusive", "incomparable"].map {
        "\(counts[$0] ?? 0) \($0)"
      }.joined(separator: ", ") + "</p>"
    if !records.isEmpty {
      let (left, right, rowHeight) = (360.0, 940.0, 14.0)
      let values = records.flatMap { [$0.ratio, $0.low ?? $0.ratio, $0.high ?? $0.ratio] }
      let low = min(values.min()!, 0.9)
      let high = max(values.max()!, 1.1)
      func x(_ v: Double) -> Double { left + (right - left) * (v - low) / (high - low) }
      var svg =
        "<path d=\"M\(svgNumber(x(1))) 20V\(svgNumber(30 + rowHeight * Double(records.count)))\" stroke=\"#000\"/>"
      svg +=
        "<text x=\"\(svgNumber(x(1)))\" y=\"14\" text-anchor=\"middle\">1.0 (HEAD = BASE); right of it HEAD is slower</text>"
      for (index, r) in records.enumerated() {
        let y = 30 + rowHeight * Double(index)
        svg +=
          "<text x=\"\(left - 6)\" y=\"\(svgNumber(y + 10))\" text-anchor=\"end\">\(escapeHTML("\(r.caseName) \(r.variant)"))</text>"
        if let lo = r.low, let hi = r.high {
          svg +=
            "<path d=\"M\(svgNumber(x(lo))) \(svgNumber(y + 6))H\(svgNumber(x(hi)))\" stroke=\"#000\"/>"
        }
        svg +=
          "<circle class=\"verdict \(escapeHTML(r.verdict))\" cx=\"\(svgNumber(x(r.ratio)))\" cy=\"\(svgNumber(y + 6))\" r=\"4\"><title>\(escapeHTML("\(r.caseName) \(r.variant): ratio \(svgNumber(r.ratio, 3)), \(r.verdict)"))</title></circle>"
        svg +=
          "<text x=\"\(svgNumber(right + 4))\" y=\"\(svgNumber(y + 10))\">\(escapeHTML(r.verdict))</text>"
      }
      html += figure(
        id: "c\(index)", title: "HEAD / BASE time ratio per case",
        description:
          "One row per compared case, worst first: the ratio of HEAD's median to BASE's with its interval, coloured by verdict.",
        reading:
          "A regression's whole interval lies right of 1 plus the threshold; an inconclusive interval straddles it.",
        width: 1030, height: Int(40 + rowHeight * Double(records.count)), svg: svg,
        table: htmlTable(
          ["case", "variant", "ratio", "CI low", "CI high", "verdict", "reason"],
          records.map {
            [
              $0.caseName, $0.variant, svgNumber($0.ratio, 4),
              $0.low.map { svgNumber($0, 4) } ?? "",
              $0.high.map { svgNumber($0, 4) } ?? "", $0.verdict, $0.reason,
            ]
          }))
    }
    if !skipped.isEmpty {
      html += htmlTable(
        ["case", "variant", "verdict", "reason"],
        skipped.map { [$0["case"]!, $0["variant_id"]!, $0["verdict"]!, $0["reason"] ?? ""] },
        caption: "Cases without a ratio")
    }
    return html + "</section>"
  }
}
