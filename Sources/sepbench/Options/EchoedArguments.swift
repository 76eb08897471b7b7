import ConvKernels
import Foundation

/// Keeps an error line short when it quotes a long argument: argument-parser and our own
/// messages quote the offending value whole ("The value '<100,000 characters>' is invalid
/// for '--shape <descriptor>'"), so every argument longer than `EchoedText.limit` is cut to
/// its start and its length wherever the line quotes it.
enum EchoedArguments {
  /// The longest line printed whole: a safety net for a long value quoted in a form that
  /// is not one of the arguments.
  static let lineLimit = 1000

  /// `message` with each long argument of `arguments` (or the value after its `=`) cut.
  static func shortened(_ message: String, arguments: [String]) -> String {
    var values = arguments.flatMap { argument -> [String] in
      guard let equals = argument.firstIndex(of: "=") else { return [argument] }
      return [argument, String(argument[argument.index(after: equals)...])]
    }
    values = values.filter { $0.count > EchoedText.limit }.sorted { $0.count > $1.count }
    var line = message
    for value in values where line.contains(value) {
      line = line.replacingOccurrences(of: value, with: EchoedText(value).description)
    }
    return line.count <= lineLimit
      ? line : "\(line.prefix(lineLimit))… (\(line.count) characters)"
  }
}
