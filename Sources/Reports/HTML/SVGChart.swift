import Foundation

/// Text made safe for HTML and SVG content and attribute values.
func escapeHTML(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.count)
  for character in text {
    switch character {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    default: out.append(character)
    }
  }
  return out
}

/// A number with `digits` decimals, no trailing zeros (SVG coordinates and labels).
func svgNumber(_ value: Double, _ digits: Int = 1) -> String {
  guard value.isFinite else { return "0" }
  var text = String(format: "%.\(digits)f", value)
  if text.contains(".") {
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
  }
  return text == "-0" ? "0" : text
}

/// A base-10 logarithmic axis from `low` to `high` onto pixels `from` to `to`.
struct LogAxis {
  let low: Double
  let high: Double
  let from: Double
  let to: Double

  /// The decades that cover `values` (at least one decade).
  init(covering values: [Double], from: Double, to: Double) {
    let positive = values.filter { $0 > 0 && $0.isFinite }
    let lo = positive.min() ?? 1
    let hi = positive.max() ?? 10
    low = pow(10, floor(log10(lo)))
    high = max(pow(10, ceil(log10(hi))), low * 10)
    self.from = from
    self.to = to
  }

  func position(_ value: Double) -> Double {
    let v = min(max(value, low), high)
    return from + (to - from) * (log10(v) - log10(low)) / (log10(high) - log10(low))
  }

  /// 1, 10, 100 … inside the axis.
  var decades: [Double] {
    var values: [Double] = []
    var v = low
    while v <= high * 1.0001 {
      values.append(v)
      v *= 10
    }
    return values
  }
}

/// How the report tells operators apart: a colour (Okabe-Ito, distinct for colour-blind
/// readers) and a marker shape (distinct in greyscale).
enum OpStyle {
  static let order = ["conv", "dw", "pw", "sep_block", "conv_block"]

  static func colour(_ op: String) -> String {
    switch op {
    case "conv": "#0072B2"
    case "dw": "#E69F00"
    case "pw": "#009E73"
    case "sep_block": "#CC79A7"
    case "conv_block": "#D55E00"
    default: "#555555"
    }
  }

  /// An SVG marker of `op` centred at (x, y), radius `r`; filled for NHWC, hollow for NCHW;
  /// with a CSS class and a tooltip (`<title>`) when given.
  static func marker(
    _ op: String, x: Double, y: Double, r: Double, filled: Bool, cssClass: String? = nil,
    title: String? = nil
  ) -> String {
    let c = colour(op)
    var attributes = filled ? "fill=\"\(c)\" stroke=\"\(c)\"" : "fill=\"white\" stroke=\"\(c)\""
    if let cssClass { attributes += " class=\"\(cssClass)\"" }
    let (sx, sy) = (svgNumber(x), svgNumber(y))
    let element: String
    let geometry: String
    switch op {
    case "dw":
      element = "rect"
      geometry =
        "x=\"\(svgNumber(x - r))\" y=\"\(svgNumber(y - r))\" width=\"\(svgNumber(2 * r))\" height=\"\(svgNumber(2 * r))\""
    case "pw":
      element = "polygon"
      geometry =
        "points=\"\(sx),\(svgNumber(y - r)) \(svgNumber(x + r)),\(svgNumber(y + r)) \(svgNumber(x - r)),\(svgNumber(y + r))\""
    case "sep_block":
      element = "polygon"
      geometry =
        "points=\"\(sx),\(svgNumber(y - r)) \(svgNumber(x + r)),\(sy) \(sx),\(svgNumber(y + r)) \(svgNumber(x - r)),\(sy)\""
    case "conv_block":
      let a = r * 0.4
      element = "polygon"
      geometry =
        "points=\""
        + [
          (x - a, y - r), (x + a, y - r), (x + a, y - a), (x + r, y - a), (x + r, y + a),
          (x + a, y + a), (x + a, y + r), (x - a, y + r), (x - a, y + a), (x - r, y + a),
          (x - r, y - a), (x - a, y - a),
        ].map { "\(svgNumber($0.0)),\(svgNumber($0.1))" }.joined(separator: " ") + "\""
    default:
      element = "circle"
      geometry = "cx=\"\(sx)\" cy=\"\(sy)\" r=\"\(svgNumber(r))\""
    }
    guard let title else { return "<\(element) \(geometry) \(attributes)/>" }
    return "<\(element) \(geometry) \(attributes)><title>\(escapeHTML(title))</title></\(element)>"
  }

  /// The legend of operators, shapes and fills, as SVG at (x, y).
  static func legend(x: Double, y: Double, ops: [String]) -> String {
    var svg = ""
    var offset = x
    for op in ops {
      svg += marker(op, x: offset + 6, y: y, r: 5, filled: true)
      svg += "<text x=\"\(svgNumber(offset + 15))\" y=\"\(svgNumber(y + 4))\">\(op)</text>"
      offset += 30 + Double(op.count) * 7
    }
    svg +=
      "<text x=\"\(svgNumber(offset))\" y=\"\(svgNumber(y + 4))\">filled: NHWC, hollow: NCHW; larger: more threads</text>"
    return svg
  }
}
