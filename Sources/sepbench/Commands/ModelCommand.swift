import ArgumentParser

struct ModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "model")
  func run() throws {}
}
