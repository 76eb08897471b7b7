/// Why a CSV document could not be read.
public enum CSVError: Error, Equatable, CustomStringConvertible, Sendable {
  /// A quoted field that never closes, or a quote inside an unquoted field.
  case malformed(line: Int, reason: String)
  /// A record with a different number of fields than the header.
  case ragged(line: Int, fields: Int, expected: Int)
  /// The document has no header.
  case empty
  /// A required column is missing (e.g. a file that is not a sepbench result).
  case missingColumn(String, file: String)
  /// A cell does not hold the number its column needs.
  case badNumber(column: String, value: String, line: Int)
  /// The header names a column twice, so a cell could not be found by its column's name.
  case duplicateColumn(String, line: Int)

  public var description: String {
    switch self {
    case .malformed(let line, let reason): "CSV line \(line): \(reason)"
    case .ragged(let line, let fields, let expected):
      "CSV line \(line) has \(fields) fields; the header has \(expected)"
    case .empty: "CSV document is empty; expected a header line"
    case .missingColumn(let column, let file):
      "\(file) has no column '\(column)'; is it a sepbench result file?"
    case .badNumber(let column, let value, let line):
      "CSV line \(line): column \(column) holds '\(value)', which is not a number"
    case .duplicateColumn(let column, let line):
      "CSV line \(line): the header names column '\(column)' twice; column names must be unique"
    }
  }
}

/// A parsed RFC 4180 document: a header with unique column names and rectangular records.
public struct CSVTable: Sendable, Equatable {
  public let header: [String]
  public let rows: [[String]]

  /// Parses `text`, scalar by scalar. Accepts `\n`, `\r\n` and `\r` line ends, a UTF-8 byte
  /// order mark before the header, quoted fields with embedded commas, quotes and line ends,
  /// and skips blank lines (a trailing one included), as pandas does.
  public init(parsing text: String) throws {
    var scalars = Substring(text).unicodeScalars
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    var records: [(line: Int, fields: [String])] = []
    var record: [String] = []
    var field = String.UnicodeScalarView()
    var quoted = false
    var fieldWasQuoted = false
    var line = 1
    var recordLine = 1

    while let scalar = scalars.popFirst() {
      if quoted {
        if scalar == "\"" {
          if scalars.first == "\"" {
            scalars.removeFirst()
            field.append("\"")
          } else {
            quoted = false
          }
        } else {
          // "\r\n" is one line end: count it at its "\n".
          if scalar == "\n" || (scalar == "\r" && scalars.first != "\n") { line += 1 }
          field.append(scalar)
        }
        continue
      }
      switch scalar {
      case "\"":
        guard field.isEmpty && !fieldWasQuoted else {
          throw CSVError.malformed(line: line, reason: "quote inside an unquoted field")
        }
        quoted = true
        fieldWasQuoted = true
      case ",":
        record.append(String(field))
        field = String.UnicodeScalarView()
        fieldWasQuoted = false
      case "\r", "\n":
        if scalar == "\r" && scalars.first == "\n" { scalars.removeFirst() }
        let blank = record.isEmpty && field.isEmpty && !fieldWasQuoted
        if !blank {
          record.append(String(field))
          records.append((recordLine, record))
        }
        record = []
        field = String.UnicodeScalarView()
        fieldWasQuoted = false
        line += 1
        recordLine = line
      default:
        guard !fieldWasQuoted else {
          throw CSVError.malformed(line: line, reason: "text after a closing quote")
        }
        field.append(scalar)
      }
    }
    if quoted { throw CSVError.malformed(line: recordLine, reason: "quoted field never closes") }
    if !field.isEmpty || fieldWasQuoted || !record.isEmpty {
      record.append(String(field))
      records.append((recordLine, record))
    }
    guard let header = records.first else { throw CSVError.empty }
    var names: Set<String> = []
    for name in header.fields where !names.insert(name).inserted {
      throw CSVError.duplicateColumn(name, line: header.line)
    }
    for r in records where r.fields.count != header.fields.count {
      throw CSVError.ragged(line: r.line, fields: r.fields.count, expected: header.fields.count)
    }
    self.header = header.fields
    rows = records.dropFirst().map(\.fields)
  }

  /// Index of `column`, or a `missingColumn` error naming `file`.
  public func column(_ column: String, file: String) throws -> Int {
    guard let index = header.firstIndex(of: column) else {
      throw CSVError.missingColumn(column, file: file)
    }
    return index
  }

  /// The rows as dictionaries keyed by column name (the header's names are unique).
  public var records: [[String: String]] {
    rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
  }
}
