import ConvKernels
import Reports
import Testing

/// Random documents through `CSVWriter` then `CSVTable`: the round trip must give back every
/// field scalar for scalar, whatever the fields hold.
@Suite struct CSVFuzzTests {
  /// Pieces a field is built from: the characters CSV treats specially, each also followed by
  /// a combining mark (one Character, two scalars), plus a byte order mark, emoji and text.
  static let pieces = [
    ",", "\"", "\r", "\n", "\r\n", "\u{301}", ",\u{301}", "\"\u{301}", "\n\u{301}", "\r\u{301}",
    "\u{FEFF}", "😀", "👩‍👩‍👧", "🇫🇷", "a", "é", "e\u{301}", " ", "x", "12.5", "",
  ]

  static func field(_ generator: inout SplitMix64) -> String {
    let length = Int(generator.next() % 6)
    return (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
      .joined()
  }

  /// A header of `count` distinct names (as `String` compares them, which is what a reader
  /// keys columns by) and up to 5 records.
  static func document(_ generator: inout SplitMix64) -> (header: [String], rows: [[String]]) {
    let count = 1 + Int(generator.next() % 4)
    var header: [String] = []
    while header.count < count {
      let name = field(&generator)
      if !header.contains(name) { header.append(name) }
    }
    let rows = (0..<Int(generator.next() % 6)).map { _ in
      (0..<count).map { _ in field(&generator) }
    }
    return (header, rows)
  }

  /// Fields as scalar arrays: `String ==` treats `é` and `e\u{301}` as equal, the round
  /// trip must not even swap those.
  static func scalars(_ rows: [[String]]) -> [[[Unicode.Scalar]]] {
    rows.map { $0.map { Array($0.unicodeScalars) } }
  }

  @Test(arguments: 0..<500)
  func writerThenReaderIsTheIdentity(seed: Int) throws {
    var generator = SplitMix64(seed: UInt64(seed))
    let (header, rows) = Self.document(&generator)
    var writer = CSVWriter(header: header)
    for row in rows { writer.append(row) }
    let table = try CSVTable(parsing: writer.text)
    #expect(Self.scalars([table.header]) == Self.scalars([header]), "seed \(seed)")
    #expect(Self.scalars(table.rows) == Self.scalars(rows), "seed \(seed)")
  }

  /// The same records with other line ends, a byte order mark in front and blank lines at the
  /// end read back the same.
  @Test(arguments: 0..<300)
  func lineEndsByteOrderMarkAndTrailingBlankLinesAreAccepted(seed: Int) throws {
    var generator = SplitMix64(seed: UInt64(seed) &+ 1_000_000)
    let (header, rows) = Self.document(&generator)
    let lineEnd = ["\n", "\r\n", "\r"][Int(generator.next() % 3)]
    let bom = generator.next() % 2 == 0 ? "\u{FEFF}" : ""
    let trailing = String(repeating: lineEnd, count: Int(generator.next() % 3))
    let records = ([header] + rows).map { $0.map(CSVWriter.field).joined(separator: ",") }
      .map { $0.isEmpty ? "\"\"" : $0 }
    let text = bom + records.joined(separator: lineEnd) + lineEnd + trailing
    let table = try CSVTable(parsing: text)
    #expect(Self.scalars([table.header]) == Self.scalars([header]), "seed \(seed)")
    #expect(Self.scalars(table.rows) == Self.scalars(rows), "seed \(seed)")
  }
}
