import ArgumentParser
import Foundation

/// `sepbench`: measures depthwise-separable against standard convolution on this CPU.
@main
struct SepBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sepbench",
    abstract: "Measure depthwise-separable vs standard convolution on this CPU.",
    discussion: """
      Every kernel variant is checked against a Double-precision reference before it is timed.
      Results are CSV files a spreadsheet, pandas and `sepbench` itself read back.
      """,
    subcommands: [
      RunCommand.self, ValidateCommand.self, ListCommand.self, ModelCommand.self,
      CountersCommand.self, CompareCommand.self, ABCommand.self, CheckCommand.self,
      CalibrateCommand.self, ExportCommand.self, ReportCommand.self, MergeCommand.self,
      NetworkCommand.self,
    ])

  static func main() {
    do {
      var command = try parseAsRoot(
        NegativeNumbers.joined(Array(CommandLine.arguments.dropFirst())))
      try command.run()
    } catch let error as any BadInput {
      fail(error.description)
    } catch {
      // argument-parser exits 64 (EX_USAGE) on bad input; DESIGN.md promises 2.
      if exitCode(for: error) == .validationFailure {
        let text = message(for: error)
        guard !text.isEmpty else { exit(withError: error) }
        fail(text.split(separator: "\n").first.map(String.init) ?? text)
      }
      exit(withError: error)
    }
  }

  /// Prints `message` as one line on stderr and exits with `ExitStatus.badInput`.
  static func fail(_ message: String) -> Never {
    let line = EchoedArguments.shortened(message, arguments: CommandLine.arguments)
    StandardStreams.error("error: " + line + "\n")
    Foundation.exit(ExitStatus.badInput.rawValue)
  }
}
