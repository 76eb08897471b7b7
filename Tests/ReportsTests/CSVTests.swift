import Reports
import Testing

@Suite struct CSVTests {
  @Test func fieldsWithCommasQuotesAndNewlinesRoundTrip() throws {
    let rows = [
      ["plain", "with,comma", "with \"quote\""],
      ["multi\nline", "", "trailing space "],
      ["ünïcode", "\"", ","],
    ]
    var writer = CSVWriter(header: ["a", "b", "c"])
    rows.forEach { writer.append($0) }
    let table = try CSVTable(parsing: writer.text)
    #expect(table.header == ["a", "b", "c"])
    #expect(table.rows == rows)
  }

  @Test func quotingFollowsRFC4180() {
    #expect(CSVWriter.field("a,b") == "\"a,b\"")
    #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSVWriter.field("plain") == "plain")
  }

  @Test func fieldWithCRLFIsQuotedAndRoundTrips() throws {
    #expect(CSVWriter.field("a\r\nb") == "\"a\r\nb\"")
    var writer = CSVWriter(header: ["x", "y"])
    writer.append(["line one\r\nline two", "z"])
    #expect(try CSVTable(parsing: writer.text).rows == [["line one\r\nline two", "z"]])
  }

  @Test func documentEndsEveryRecordWithNewline() {
    var writer = CSVWriter(header: ["x"])
    writer.append(["1"])
    #expect(writer.text == "x\n1\n")
  }

  @Test func crlfLineEndsAreAccepted() throws {
    let table = try CSVTable(parsing: "a,b\r\n1,2\r\n")
    #expect(table.rows == [["1", "2"]])
  }

  @Test func raggedRecordNamesItsLine() {
    #expect(throws: CSVError.ragged(line: 3, fields: 1, expected: 2)) {
      try CSVTable(parsing: "a,b\n1,2\n3\n")
    }
  }

  @Test func unclosedQuoteIsMalformed() {
    #expect(throws: CSVError.malformed(line: 2, reason: "quoted field never closes")) {
      try CSVTable(parsing: "a\n\"open\n")
    }
  }

  @Test func emptyDocumentIsRejected() {
    #expect(throws: CSVError.empty) { try CSVTable(parsing: "") }
  }
}
