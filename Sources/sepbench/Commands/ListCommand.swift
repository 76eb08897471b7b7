import ArgumentParser
import ConvKernels
import Counters
import Harness
import KernelCatalog

/// `sepbench list`: what can be run.
struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "Show the suites, variant families or counter events.")

  enum Topic: String, ExpressibleByArgument, CaseIterable {
    case suites, variants, events
  }

  @Argument(help: "What to list: suites, variants or events.")
  var topic: Topic = .variants

  func run() throws {
    switch topic {
    case .suites:
      for suite in Suite.builtIn {
        print("\(suite.name): \(suite.summary)")
        for c in suite.cases { print("  \(c.name)  \(c.problem.descriptor)") }
      }
    case .variants:
      let header = ["op", "family", "layouts", "threads", "isa", "needs", "here", "summary"]
      let rows = VariantRegistry.families.map { family in
        let runs = family.requires.isSubset(of: CPUFeatures.current)
        return [
          family.op.rawValue, family.family,
          family.layouts.sorted().map(\.rawValue).joined(separator: ","),
          family.isThreaded ? "1..N" : "1", family.isa.rawValue, family.requires.description,
          runs ? "yes" : "no", family.summary + (runs ? "" : " (not on this CPU)"),
        ]
      }
      // Every column but the last as wide as its widest cell.
      let widths = header.indices.map { column in
        ([header] + rows).map { $0[column].count }.max()!
      }
      for row in [header] + rows {
        print(
          zip(row, widths).enumerated().map { index, cell in
            index == row.count - 1
              ? cell.0 : cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0)
          }.joined(separator: "  "))
      }
    case .events:
      print(
        "Default events of `sepbench run` (any PAPI preset or native name works with --events):")
      for probe in EventProbe.probe(EventProbe.defaultEvents) {
        let status = probe.isAvailable ? "available" : "unavailable here"
        print("  \(probe.event.padding(toLength: 28, withPad: " ", startingAt: 0)) \(status)")
      }
      print("Why an event is unavailable: `sepbench counters`.")
    }
  }
}
