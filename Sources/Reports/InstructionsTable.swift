import Foundation
import Harness

/// `instructions.csv`: one row per counted kernel of a `--metric instructions` run, with what
/// counted it. Its columns follow the contract of the other files: only ever added.
public struct InstructionsTable {
  /// Column names, in order.
  public static let header = [
    "schema", "suite", "case", "op", "variant", "layout", "threads", "instructions",
    "instructions_per_mac", "source", "isa",
  ]

  public let results: [CaseResult]

  public init(results: [CaseResult]) { self.results = results }

  /// The rows that hold a count.
  var counted: [CaseResult] { results.filter { $0.instructions != nil } }

  public var csv: String {
    var writer = CSVWriter(header: Self.header)
    for row in counted {
      let count = row.instructions ?? 0
      writer.append([
        String(ResultsColumn.schemaVersion), row.suite, row.caseName, row.op.rawValue, row.family,
        row.layout.rawValue, String(row.threads), String(format: "%.0f", count),
        DecimalText.text(count / Double(max(row.cost.macs, 1)), digits: 4),
        row.instructionSource ?? "", row.isa.rawValue,
      ])
    }
    return writer.text
  }

  /// The console table printed at the end of a counting run: one line per counted kernel.
  public var text: String {
    var table = [["case", "variant", "instructions", "per MAC", "source"]]
    for row in counted {
      let count = row.instructions ?? 0
      table.append([
        row.caseName, row.variantID, String(format: "%.0f", count),
        String(format: "%.3f", count / Double(max(row.cost.macs, 1))), row.instructionSource ?? "",
      ])
    }
    return AlignedText.lines(table, rightAligned: [2, 3]).joined(separator: "\n")
  }
}
