/// Writes RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted and their quotes
/// doubled; records end with `\n`; no comment lines.
public struct CSVWriter: Sendable {
  /// The column names, written as the first record.
  public let header: [String]
  private(set) var lines: [String]

  /// A writer whose first record is `header`.
  public init(header: [String]) {
    self.header = header
    lines = [Self.record(header)]
  }

  /// Appends one record. It must have as many fields as the header (the file stays
  /// rectangular).
  public mutating func append(_ fields: [String]) {
    precondition(
      fields.count == header.count, "record has \(fields.count) fields, header \(header.count)")
    lines.append(Self.record(fields))
  }

  /// The whole document, every record ending in `\n`.
  public var text: String { lines.joined(separator: "\n") + "\n" }

  /// One field, quoted when needed.
  public static func field(_ value: String) -> String {
    // `isNewline` also catches "\r\n", which Swift treats as one Character.
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else {
      return value
    }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func record(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}

extension String {
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
