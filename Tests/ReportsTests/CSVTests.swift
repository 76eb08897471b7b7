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

  @Test(arguments: [",\u{301}", "\"\u{301}", "a\n\u{301}", "\r\u{301}"])
  func separatorFollowedByACombiningMarkIsQuoted(value: String) {
    #expect(CSVWriter.field(value).unicodeScalars.first == "\"")
    #expect(CSVWriter.field(value).unicodeScalars.last == "\"")
  }

  @Test func quoteFollowedByACombiningMarkIsDoubled() {
    #expect(
      Array(CSVWriter.field("\"\u{301}").unicodeScalars) == ["\"", "\"", "\"", "\u{301}", "\""])
  }

  @Test func byteOrderMarkBeforeTheHeaderIsDropped() throws {
    let table = try CSVTable(parsing: "\u{FEFF}schema,case\n1,a\n")
    #expect(Array(table.header[0].unicodeScalars) == Array("schema".unicodeScalars))
    #expect(table.records == [["schema": "1", "case": "a"]])
  }

  @Test func carriageReturnOnlyLineEndsAreAccepted() throws {
    let table = try CSVTable(parsing: "a,b\r1,2\r3,4\r")
    #expect(table.rows == [["1", "2"], ["3", "4"]])
  }

  @Test func trailingBlankLinesAreSkipped() throws {
    #expect(try CSVTable(parsing: "a,b\n1,2\n\n").rows == [["1", "2"]])
    #expect(try CSVTable(parsing: "a,b\r\n1,2\r\n\r\n\r\n").rows == [["1", "2"]])
  }

  @Test func oneEmptyFieldIsWrittenQuotedSoItIsNotABlankLine() throws {
    var writer = CSVWriter(header: ["only"])
    writer.append([""])
    #expect(writer.text == "only\n\"\"\n")
    #expect(try CSVTable(parsing: writer.text).rows == [[""]])
  }

  @Test func duplicateHeaderIsAnErrorNotATrap() {
    #expect(throws: CSVError.duplicateColumn("ctr_PAPI_TOT_CYC", line: 1)) {
      try CSVTable(parsing: "status,ctr_PAPI_TOT_CYC,ctr_PAPI_TOT_CYC\nok,,\n")
    }
    #expect(
      CSVError.duplicateColumn("ctr_PAPI_TOT_CYC", line: 1).description
        == "CSV line 1: the header names column 'ctr_PAPI_TOT_CYC' twice; column names must be unique"
    )
  }

  @Test func raggedRecordAfterABlankLineNamesItsOwnLine() {
    #expect(throws: CSVError.ragged(line: 4, fields: 1, expected: 2)) {
      try CSVTable(parsing: "a,b\n1,2\n\n3\n")
    }
  }
}
