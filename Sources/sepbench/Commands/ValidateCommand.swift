import ArgumentParser

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "validate")
  func run() throws {}
}
