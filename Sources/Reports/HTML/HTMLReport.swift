import Foundation
import Harness

/// `sepbench report`: result folders (and `compare --out` folders) as one self-contained HTML
/// page: inline CSS and SVG, no scripts, no network.
///
/// Every chart is an `<svg role="img">` with a `<title>` and a `<desc>`, a one-line reading
/// under it, and its numbers in a table below. Operators differ by colour (Okabe-Ito) and by
/// marker shape, so the charts survive greyscale. Points carry `class="point"` (one per timed
/// case) and bars `class="bar"` (one per timed variant), which the browser test counts.
public struct HTMLReport {
  let inputs: [ReportInput]

  /// Reads every folder; throws the first one that is not a result or compare folder. Two
  /// result folders and nothing else also get a comparison section: HEAD (the second) against
  /// BASE (the first), unpaired and advisory across machines; operator by operator
  /// (`MeasuredRun.bestPerOperator`) when another tool wrote one of them.
  public init(paths: [String]) throws {
    guard !paths.isEmpty else {
      throw RegressionInputError.notAResultFolder(path: "", reason: "no folder given")
    }
    var inputs = try paths.map(ReportInput.read)
    if inputs.count == 2, case .results(let a, let metaA, _) = inputs[0],
      case .results(let b, let metaB, _) = inputs[1]
    {
      var base = try MeasuredRun.read(a, allowIncomplete: true)
      var head = try MeasuredRun.read(b, allowIncomplete: true)
      let byOperator = metaA.tool != metaB.tool
      if byOperator {
        base = base.bestPerOperator().run
        head = head.bestPerOperator().run
      }
      var options = RegressionOptions()
      options.allowDifferentMachines = true
      options.pairBlocks = false
      if let report = try? RegressionCheck.compare(base: base, head: head, options: options) {
        let title = "\(b) against \(a)" + (byOperator ? ", fastest variant per operator" : "")
        inputs.append(.comparison(path: title, table: try CSVTable(parsing: report.csv)))
      }
    }
    self.inputs = inputs
  }

  /// The page.
  public var html: String {
    var body = ""
    for (index, input) in inputs.enumerated() {
      switch input {
      case .results(let path, let metadata, let rows):
        body += ReportSections(index: index, path: path, metadata: metadata, rows: rows).html
      case .comparison(let path, let table):
        body += ComparisonSection(index: index, path: path, table: table).html
      }
    }
    let title = "SepConvBench report: " + inputs.map(\.path).joined(separator: ", ")
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(escapeHTML(title))</title>
      <style>\(Self.style)</style>
      </head>
      <body>
      <h1>\(escapeHTML(title))</h1>
      \(body)
      </body>
      </html>

      """
  }

  static let style = """
    body{font-family:system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}
    h2{border-bottom:2px solid #ccc;margin-top:2em}
    figure{margin:1em 0}
    figcaption{font-style:italic;margin:.3em 0}
    svg{background:#fff;border:1px solid #ddd;max-width:100%;height:auto}
    svg text{font-size:11px;fill:#222}
    table{border-collapse:collapse;font-size:12px;margin:.5em 0}
    th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}
    th:first-child,td:first-child{text-align:left}
    .banner{background:#fff3cd;border:2px solid #b58100;padding:.6em;font-weight:bold}
    .regression{fill:#D55E00}.improvement{fill:#0072B2}.unchanged{fill:#999}
    .inconclusive{fill:#E69F00}.incomparable{fill:#555}
    """
}

extension ReportInput {
  var path: String {
    switch self {
    case .results(let path, _, _), .comparison(let path, _): path
    }
  }
}

/// An HTML table: header and rows of already formatted cells.
func htmlTable(_ header: [String], _ rows: [[String]], caption: String? = nil) -> String {
  var html = "<table>"
  if let caption { html += "<caption>\(escapeHTML(caption))</caption>" }
  html += "<thead><tr>" + header.map { "<th scope=\"col\">\(escapeHTML($0))</th>" }.joined()
  html += "</tr></thead><tbody>"
  for row in rows {
    html += "<tr>" + row.map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>"
  }
  return html + "</tbody></table>"
}

/// A chart in a `<figure>`: the SVG (with title and description), the reading, and the
/// numbers in a table.
func figure(
  id: String, title: String, description: String, reading: String, width: Int, height: Int,
  svg: String, table: String
) -> String {
  """
  <figure>
  <svg id="\(id)" role="img" aria-labelledby="\(id)-title \(id)-desc" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" xmlns="http://www.w3.org/2000/svg">
  <title id="\(id)-title">\(escapeHTML(title))</title>
  <desc id="\(id)-desc">\(escapeHTML(description))</desc>
  \(svg)
  </svg>
  <figcaption>\(escapeHTML(reading))</figcaption>
  <details><summary>Numbers of this chart</summary>\(table)</details>
  </figure>

  """
}

/// One bar of `barChart`: its label, value, optional interval, and the operator whose colour
/// it takes.
typealias ChartBar = (label: String, value: Double, low: Double?, high: Double?, op: String)
/// Bars under one heading.
typealias ChartGroup = (name: String, bars: [ChartBar])

/// A horizontal bar chart: one bar per item (label, value, optional interval), grouped under
/// group headings. Bars get the CSS class `barClass` (`bar` only for variant bars, so a test
/// can count one per timed variant).
func barChart(
  id: String, title: String, description: String, reading: String, unit: String,
  barClass: String = "summary-bar",
  groups: [ChartGroup],
  table: String
) -> String {
  let barHeight = 14.0
  let labelWidth = 330.0
  let plotWidth = 560.0
  let maxValue = groups.flatMap { $0.bars.map { max($0.value, $0.high ?? 0) } }.max() ?? 1
  var y = 20.0
  var svg = ""
  for group in groups {
    svg +=
      "<text x=\"4\" y=\"\(svgNumber(y + 10))\" font-weight=\"bold\">\(escapeHTML(group.name))</text>"
    y += barHeight + 4
    for bar in group.bars {
      let width = plotWidth * bar.value / maxValue
      svg +=
        "<text x=\"\(svgNumber(labelWidth - 4))\" y=\"\(svgNumber(y + 11))\" text-anchor=\"end\">\(escapeHTML(bar.label))</text>"
      svg +=
        "<rect class=\"\(barClass)\" x=\"\(svgNumber(labelWidth))\" y=\"\(svgNumber(y + 2))\" width=\"\(svgNumber(max(width, 1)))\" height=\"\(svgNumber(barHeight - 3))\" fill=\"\(OpStyle.colour(bar.op))\"><title>\(escapeHTML("\(bar.label): \(svgNumber(bar.value, 2)) \(unit)"))</title></rect>"
      if let low = bar.low, let high = bar.high {
        let x0 = labelWidth + plotWidth * low / maxValue
        let x1 = labelWidth + plotWidth * high / maxValue
        let mid = y + barHeight / 2
        svg +=
          "<path d=\"M\(svgNumber(x0)) \(svgNumber(mid))H\(svgNumber(x1))M\(svgNumber(x0)) \(svgNumber(mid - 3))V\(svgNumber(mid + 3))M\(svgNumber(x1)) \(svgNumber(mid - 3))V\(svgNumber(mid + 3))\" stroke=\"#000\"/>"
      }
      svg +=
        "<text x=\"\(svgNumber(labelWidth + width + 4))\" y=\"\(svgNumber(y + 11))\">\(svgNumber(bar.value, 2))</text>"
      y += barHeight
    }
    y += 6
  }
  svg +=
    "<text x=\"\(svgNumber(labelWidth))\" y=\"12\">\(escapeHTML(unit)) (0 to \(svgNumber(maxValue, 2)))</text>"
  return figure(
    id: id, title: title, description: description, reading: reading, width: 980,
    height: Int(y + 10), svg: svg, table: table)
}
