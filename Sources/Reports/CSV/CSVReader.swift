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
    }
  }
}

/// A parsed RFC 4180 document: a header and rectangular records.
public struct CSVTable: Sendable, Equatable {
  public let header: [String]
  public let rows: [[String]]

  /// Parses `text`. Accepts `\n` and `\r\n` line ends and quoted fields with embedded commas,
  /// quotes and newlines.
  public init(parsing text: String) throws {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var fieldWasQuoted = false
    var line = 1
    var recordLine = 1
    var iterator = Array(text.unicodeScalars).makeIterator()
    var pending: Unicode.Scalar? = nil

    func next() -> Unicode.Scalar? {
      if let p = pending {
        pending = nil
        return p
      }
      return iterator.next()
    }

    while let ch = next() {
      if quoted {
        if ch == "\"" {
          if let following = next() {
            if following == "\"" {
              field.unicodeScalars.append("\"")
            } else {
              quoted = false
              pending = following
            }
          } else {
            quoted = false
          }
        } else {
          if ch == "\n" { line += 1 }
          field.unicodeScalars.append(ch)
        }
        continue
      }
      switch ch {
      case "\"":
        guard field.isEmpty && !fieldWasQuoted else {
          throw CSVError.malformed(line: line, reason: "quote inside an unquoted field")
        }
        quoted = true
        fieldWasQuoted = true
      case ",":
        record.append(field)
        field = ""
        fieldWasQuoted = false
      case "\r":
        continue
      case "\n":
        record.append(field)
        records.append(record)
        record = []
        field = ""
        fieldWasQuoted = false
        line += 1
        recordLine = line
      default:
        guard !fieldWasQuoted else {
          throw CSVError.malformed(line: line, reason: "text after a closing quote")
        }
        field.unicodeScalars.append(ch)
      }
    }
    if quoted { throw CSVError.malformed(line: recordLine, reason: "quoted field never closes") }
    if !field.isEmpty || fieldWasQuoted || !record.isEmpty {
      record.append(field)
      records.append(record)
    }
    guard let header = records.first else { throw CSVError.empty }
    for (index, r) in records.enumerated() where r.count != header.count {
      throw CSVError.ragged(line: index + 1, fields: r.count, expected: header.count)
    }
    self.header = header
    rows = Array(records.dropFirst())
  }

  /// Index of `column`, or a `missingColumn` error naming `file`.
  public func column(_ column: String, file: String) throws -> Int {
    guard let index = header.firstIndex(of: column) else {
      throw CSVError.missingColumn(column, file: file)
    }
    return index
  }

  /// The rows as dictionaries keyed by column name.
  public var records: [[String: String]] {
    rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
  }
}
