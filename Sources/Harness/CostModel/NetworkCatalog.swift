/// The networks `sepbench model` knows, by command-line name.
public enum NetworkCatalog {
  /// Every modelled network's name, in listing order.
  public static let names: [String] = [MobileNetV1.name]

  /// The cost table of the network `name` at width multiplier `width` and resolution
  /// `resolution`.
  /// - Throws: `ModelError.unknownNetwork` listing the known names, or the network's own
  ///   `ModelError` for α or R.
  public static func model(named name: String, width: Double = 1, resolution: Int = 224) throws
    -> NetworkModel
  {
    switch name.lowercased() {
    case MobileNetV1.name: try MobileNetV1.model(width: width, resolution: resolution)
    default: throw ModelError.unknownNetwork(name, known: names)
    }
  }
}
