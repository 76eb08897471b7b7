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
      print(
        "op          family              layouts     threads  isa     needs     here  summary")
      for family in VariantRegistry.families {
        let layouts = family.layouts.sorted().map(\.rawValue).joined(separator: ",")
        let runs = family.requires.isSubset(of: CPUFeatures.current)
        print(
          [
            family.op.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0),
            family.family.padding(toLength: 19, withPad: " ", startingAt: 0),
            layouts.padding(toLength: 11, withPad: " ", startingAt: 0),
            (family.isThreaded ? "1..N" : "1").padding(toLength: 8, withPad: " ", startingAt: 0),
            family.isa.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0),
            family.requires.description.padding(toLength: 9, withPad: " ", startingAt: 0),
            (runs ? "yes" : "no").padding(toLength: 5, withPad: " ", startingAt: 0),
            family.summary + (runs ? "" : " (not on this CPU)"),
          ].joined(separator: " "))
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
