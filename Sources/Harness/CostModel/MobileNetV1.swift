import ConvKernels

/// MobileNetV1 (Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for
/// Mobile Vision Applications", arXiv:1704.04861) as an analytic cost model.
///
/// Architecture (the paper's Table 1): a full 3x3 convolution, stride 2, 3 -> 32 channels;
/// 13 depthwise-separable layers (3x3 depthwise + BN + ReLU, 1x1 pointwise + BN + ReLU) with
/// output channels 64, 128, 128, 256, 256, 512, 5 x 512, 1024, 1024 and strides 1, 2, 1, 2,
/// 1, 2, 1, 1, 1, 1, 1, 2, 1; global average pooling; a fully connected layer to 1000 classes.
/// Table 1 prints stride 2 for the last depthwise layer, but its input and output are both
/// 7x7 and every implementation uses stride 1; so do we.
///
/// Counting convention (it reproduces the paper's totals, see below):
/// - **MACs** ("mult-adds"): `H_out * W_out * C_out * (C_in / groups) * KH * KW` per
///   convolution (`ConvProblem.macs`). Every 3x3 convolution uses "same" padding (pad 1), and
///   **padded taps count**: a 3x3 depthwise output at the border still costs 9 MACs.
/// - **The FC layer counts**: `C * 1000` MACs and `C * 1000` weights.
/// - **No biases, no batch norm**: BN (and the ReLU after it) adds no MACs and no parameters;
///   the FC bias is not counted either. Global average pooling counts 0 MACs (its additions
///   are not multiply-accumulates) and has no parameters.
/// - **Parameters** are convolution and FC weights: `C_out * (C_in / groups) * KH * KW`.
/// - **Width multiplier α**: every layer's channels become `max(8, floor(α * C))`, the
///   `depth()` function of the official TF-slim `mobilenet_v1.py` (min_depth = 8). The paper
///   only says "αM"; for its α values (1, 0.75, 0.5, 0.25) every αM is a whole number >= 8,
///   so floor and min depth change nothing there. The 3 input channels and the 1000 classes
///   are not scaled.
/// - **Resolution R**: the input is R x R; each 3x3 pad-1 layer maps H to
///   `(H - 1) / stride + 1` (= ceil(H / stride)), so 224 -> 112 -> 56 -> 28 -> 14 -> 7. Every
///   R >= 1 gives valid shapes.
/// - **Standard twin**: for each separable layer, a full 3x3 convolution with the same
///   C_in, C_out, stride and padding; the first convolution, pooling and FC are the same in
///   both networks.
///
/// With this convention (1.0 MobileNet-224): 568,740,352 MACs and 4,209,088 parameters
/// (paper Table 4: 569 M and 4.2 M); the all-standard network has 4,867,293,184 MACs and
/// 29,281,120 parameters (paper: 4866 M and 29.3 M; 4866 is what one gets by leaving the FC
/// layer's 1,024,000 MACs out, 4,866,269,184, while 569 M needs them in). Width (Table 6):
/// 0.75 -> 325,400,448 / 2,568,144; 0.5 -> 149,497,088 / 1,319,648; 0.25 -> 41,030,272 /
/// 463,600 (paper 325 / 2.6, 149 / 1.3, 41 / 0.5). Resolution (Table 7): 192 -> 418,121,728;
/// 160 -> 290,675,200; 128 -> 186,400,768 (paper 418, 290, 186; the paper's 290 is 0.2 %
/// below this count, which no single consistent convention also matching 569 gives).
/// The per-kind shares match Table 2 (1x1: 94.86 % of MACs, 74.59 % of parameters; depthwise:
/// 3.06 %, 1.06 %; FC: 0.18 %, 24.33 %; first conv: 1.91 % where Table 2 prints 1.19 %).
public enum MobileNetV1 {
  /// The command-line name.
  public static let name = "mobilenet-v1"
  /// The display name.
  public static let title = "MobileNetV1"
  /// Fewest channels a layer keeps under a small width multiplier (TF-slim `min_depth`).
  public static let minDepth = 8
  /// Largest width multiplier modelled (keeps every count far from `Int` overflow).
  public static let maxWidth = 16.0
  /// Largest input resolution modelled.
  public static let maxResolution = 8192
  /// Output classes of the FC layer (not scaled by α).
  public static let classes = 1000
  /// Input image channels (not scaled by α).
  public static let imageChannels = 3
  /// Output channels of the first convolution at α = 1.
  static let stemChannels = 32
  /// Output channels and depthwise stride of the 13 separable layers at α = 1.
  static let separableLayers: [(outChannels: Int, stride: Int)] = [
    (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
    (512, 1), (512, 1), (512, 1), (512, 1), (512, 1),
    (1024, 2), (1024, 1),
  ]

  /// Channels of a layer that has `base` channels at α = 1: `max(8, floor(α * base))`.
  public static func channels(_ base: Int, width: Double) -> Int {
    max(minDepth, Int((Double(base) * width).rounded(.down)))
  }

  /// Checks α and R.
  /// - Throws: `ModelError.invalidWidth` unless `0 < width <= maxWidth`,
  ///   `ModelError.invalidResolution` unless `1 <= resolution <= maxResolution`.
  public static func validate(width: Double, resolution: Int) throws {
    guard width.isFinite && width > 0 && width <= maxWidth else {
      throw ModelError.invalidWidth(
        width,
        allowed: "a number greater than 0 and at most \(Int(maxWidth)) (e.g. 1, 0.75, 0.5, 0.25)")
    }
    guard resolution >= 1 && resolution <= maxResolution else {
      throw ModelError.invalidResolution(
        resolution, allowed: "an integer between 1 and \(maxResolution) (e.g. 224, 192, 160, 128)")
    }
  }

  /// The 13 separable layers' block shapes (groups 1: C_in, C_out, 3x3, stride, pad 1, input
  /// H and W; see `ConvProblem.part(for:)`) at width `width` and resolution `resolution`.
  /// - Throws: `ModelError` for an α or R outside the allowed range.
  public static func separableBlockShapes(width: Double = 1, resolution: Int = 224) throws
    -> [ConvProblem]
  {
    try validate(width: width, resolution: resolution)
    var inChannels = channels(stemChannels, width: width)
    var size = try stem(width: width, resolution: resolution).outHeight
    var shapes: [ConvProblem] = []
    for layer in separableLayers {
      let outChannels = channels(layer.outChannels, width: width)
      let shape = try ConvProblem.standard(
        inChannels: inChannels, outChannels: outChannels, h: size, w: size, kernel: 3,
        stride: layer.stride, pad: 1)
      shapes.append(shape)
      inChannels = outChannels
      size = shape.outHeight
    }
    return shapes
  }

  /// The cost table of MobileNetV1 at width multiplier `width` and resolution `resolution`.
  /// - Throws: `ModelError` for an α or R outside the allowed range.
  public static func model(width: Double = 1, resolution: Int = 224) throws -> NetworkModel {
    let stem = try stem(width: width, resolution: resolution)
    var layers = [NetworkLayer.convolution(name: "conv1", stem)]
    for (index, shape) in try separableBlockShapes(width: width, resolution: resolution)
      .enumerated()
    {
      layers.append(.separable(name: blockName(index), shape))
    }
    let last = layers[layers.count - 1]
    layers.append(
      .averagePool(name: "pool", channels: last.outChannels, h: last.outHeight, w: last.outWidth))
    layers.append(try .fullyConnected(name: "fc", inputs: last.outChannels, outputs: classes))
    return NetworkModel(
      name: name, title: title, width: width, resolution: resolution, layers: layers)
  }

  /// The first layer: 3x3 stride-2 convolution, 3 -> 32α channels.
  static func stem(width: Double, resolution: Int) throws -> ConvProblem {
    try validate(width: width, resolution: resolution)
    return try ConvProblem.standard(
      inChannels: imageChannels, outChannels: channels(stemChannels, width: width),
      h: resolution, w: resolution, kernel: 3, stride: 2, pad: 1)
  }

  /// `b01` ... `b13` for the separable layer at `index` (0-based).
  static func blockName(_ index: Int) -> String {
    index + 1 < 10 ? "b0\(index + 1)" : "b\(index + 1)"
  }
}
