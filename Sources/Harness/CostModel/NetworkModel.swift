/// The analytic cost of a whole network at one width multiplier and input resolution: one
/// `NetworkLayer` per row and the totals of its columns.
public struct NetworkModel: Hashable, Sendable {
  /// Command-line name, e.g. `mobilenet-v1`.
  public let name: String
  /// Display name, e.g. `MobileNetV1`.
  public let title: String
  /// Width multiplier α.
  public let width: Double
  /// Input resolution R (a square R x R image).
  public let resolution: Int
  /// The layers in order.
  public let layers: [NetworkLayer]

  /// Multiply-accumulates of the network as built (separable layers).
  public var totalMACs: Int { layers.reduce(0) { $0 + $1.macs } }
  /// Parameters of the network as built.
  public var totalParams: Int { layers.reduce(0) { $0 + $1.params } }
  /// Multiply-accumulates of the same network with every separable layer replaced by a
  /// standard convolution with the same channels and stride.
  public var standardMACs: Int { layers.reduce(0) { $0 + $1.standard.macs } }
  /// Multiplications of that all-standard network with Winograd F(4x4, 3x3) on its stride-1
  /// 3x3 layers (`NetworkLayer.standardWinogradMults`).
  public var standardWinogradMults: Int { layers.reduce(0) { $0 + $1.standardWinogradMults } }
  /// Parameters of that all-standard network.
  public var standardParams: Int { layers.reduce(0) { $0 + $1.standard.params } }
  /// Sum of every layer's minimum bytes (each layer reads its input and writes its output once).
  public var totalBytesMin: Int { layers.reduce(0) { $0 + $1.bytesMin } }

  /// The separable layers only.
  public var separableLayers: [NetworkLayer] { layers.filter { $0.kind == .sepBlock } }
}
