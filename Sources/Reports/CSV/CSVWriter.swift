/// Writes RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted and their quotes
/// doubled; records end with `\n`; no comment lines.
///
/// Quoting is decided on Unicode scalars, not Characters: a comma or quote followed by a
/// combining mark (`,\u{301}`) is one Character that equals neither `,` nor `"`, but a reader
/// sees the scalar `,` all the same.
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

  /// One field, quoted when it holds a comma, quote, CR or LF, or starts with a byte order
  /// mark (which a reader drops at the start of a file).
  public static func field(_ value: String) -> String {
    let scalars = value.unicodeScalars
    guard scalars.contains(where: needsQuotes) || scalars.first == "\u{FEFF}" else {
      return value
    }
    var quoted = String.UnicodeScalarView()
    quoted.append("\"")
    for scalar in scalars {
      if scalar == "\"" { quoted.append("\"") }
      quoted.append(scalar)
    }
    quoted.append("\"")
    return String(quoted)
  }

  private static func needsQuotes(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "," || scalar == "\"" || scalar == "\r" || scalar == "\n"
  }

  /// One record. A record of a single empty field is written `""`: unquoted it would be a
  /// blank line, which readers skip.
  static func record(_ fields: [String]) -> String {
    fields == [""] ? "\"\"" : fields.map(field).joined(separator: ",")
  }
}
