import ArgumentParser
import Foundation
import Harness
import Reports

/// `sepbench model NAME`: the analytic per-layer cost of a network (no measurement).
struct ModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "model",
    abstract: "Print a network's per-layer MACs, parameters and bytes, separable vs standard.",
    discussion: """
      One row per layer: shape, MACs, parameters and minimum bytes, next to the standard 3x3 \
      convolution that each depthwise-separable layer replaces (std_macs, std_params) and the \
      ratio macs / std_macs.

      MACs count padded taps and the FC layer; parameters are weights only (no bias, no batch \
      norm). This reproduces the MobileNets paper: 1.0/224 gives 568,740,352 MACs and \
      4,209,088 parameters (paper: 569 M and 4.2 M).

      The table ends with totals; the CSV (RFC 4180) has one record per layer and no totals.
      """)

  /// Output format of the cost table.
  enum Format: String, CaseIterable, ExpressibleByArgument {
    case table, csv
  }

  @Argument(help: "Network: \(NetworkCatalog.names.joined(separator: ", ")).")
  var name: String

  // `.unconditional` takes `-1` as the value, so the error names it instead of "missing value".
  @Option(
    parsing: .unconditional,
    help: "Width multiplier α, > 0 and <= 16; channels become max(8, floor(α·C)).")
  var width: Double = 1

  @Option(parsing: .unconditional, help: "Input resolution R (an R x R image), 1 to 8192.")
  var resolution: Int = 224

  @Option(help: "Output format: table (with totals) or csv (one record per layer, no totals).")
  var format: Format = .table

  func run() throws {
    let model = try NetworkCatalog.model(named: name, width: width, resolution: resolution)
    switch format {
    case .table:
      print(model.tableText, terminator: "")
    case .csv:
      var writer = CSVWriter(header: NetworkModel.columns)
      for record in model.records { writer.append(record) }
      print(writer.text, terminator: "")
    }
  }
}

extension ModelError: BadInput {}
