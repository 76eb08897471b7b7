/// Why a network model cannot be built. `description` is the single line the command line
/// prints.
public enum ModelError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The width multiplier is not a finite number in the allowed range.
  case invalidWidth(Double, allowed: String)
  /// The input resolution is outside the allowed range.
  case invalidResolution(Int, allowed: String)
  /// No network of this name is modelled.
  case unknownNetwork(String, known: [String])

  public var description: String {
    switch self {
    case .invalidWidth(let value, let allowed):
      "width = \(value) is not allowed; width must be \(allowed)"
    case .invalidResolution(let value, let allowed):
      "resolution = \(value) is not allowed; resolution must be \(allowed)"
    case .unknownNetwork(let name, let known):
      "unknown network '\(name)'; known networks: \(known.joined(separator: ", "))"
    }
  }
}
