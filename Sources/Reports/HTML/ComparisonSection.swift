import Foundation

/// The section of a `sepbench compare --out` folder: every case's HEAD/BASE ratio with its
/// interval, coloured by verdict, worst first.
struct ComparisonSection {
  /// Position of the folder on the command line: the chart's id is `c<index>`.
  let index: Int
  let path: String
  let table: CSVTable

  var html: String {
    let records = table.records.compactMap {
      r -> (String, String, Double, Double?, Double?, String, String)? in
      guard let ratio = Double(r["ratio"] ?? "") else { return nil }
      return (
        r["case"]!, r["variant_id"]!, ratio, Double(r["ci_low"] ?? ""), Double(r["ci_high"] ?? ""),
        r["verdict"]!, r["reason"] ?? ""
      )
    }.sorted { $0.2 > $1.2 }
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
      let values = records.flatMap { [$0.2, $0.3 ?? $0.2, $0.4 ?? $0.2] }
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
          "<text x=\"\(left - 6)\" y=\"\(svgNumber(y + 10))\" text-anchor=\"end\">\(escapeHTML("\(r.0) \(r.1)"))</text>"
        if let lo = r.3, let hi = r.4 {
          svg +=
            "<path d=\"M\(svgNumber(x(lo))) \(svgNumber(y + 6))H\(svgNumber(x(hi)))\" stroke=\"#000\"/>"
        }
        svg +=
          "<circle class=\"verdict \(escapeHTML(r.5))\" cx=\"\(svgNumber(x(r.2)))\" cy=\"\(svgNumber(y + 6))\" r=\"4\"><title>\(escapeHTML("\(r.0) \(r.1): ratio \(svgNumber(r.2, 3)), \(r.5)"))</title></circle>"
        svg +=
          "<text x=\"\(svgNumber(right + 4))\" y=\"\(svgNumber(y + 10))\">\(escapeHTML(r.5))</text>"
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
              $0.0, $0.1, svgNumber($0.2, 4), $0.3.map { svgNumber($0, 4) } ?? "",
              $0.4.map { svgNumber($0, 4) } ?? "", $0.5, $0.6,
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
