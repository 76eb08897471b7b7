import Foundation

/// Plain decimal text for CSV cells: `.` separator, no exponent, no thousands separator, so
/// spreadsheets and pandas read every cell as a number.
enum DecimalText {
  /// `value` with up to `digits` fractional digits, trailing zeros dropped; empty for nil,
  /// NaN or infinity.
  static func text(_ value: Double?, digits: Int = 3) -> String {
    guard let value, value.isFinite else { return "" }
    var text = String(format: "%.\(digits)f", locale: Locale(identifier: "en_US_POSIX"), value)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }

  /// An integer as text.
  static func text(_ value: Int) -> String { String(value) }
}
