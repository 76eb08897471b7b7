import ConvKernels

/// One row of a network's analytic cost table: a layer's shape and its exact counts, next to
/// the standard convolution that a separable layer replaces.
public struct NetworkLayer: Hashable, Sendable {
  /// What a layer computes. The raw value is the `op` column of `sepbench model`.
  public enum Kind: String, CaseIterable, Sendable {
    /// A standard KxK convolution (+ BN + ReLU).
    case conv
    /// A depthwise-separable layer: depthwise KxK + BN + ReLU, pointwise 1x1 + BN + ReLU.
    case sepBlock = "sep_block"
    /// Global average pooling over the whole feature map.
    case avgPool = "avg_pool"
    /// Fully connected layer (a 1x1 convolution on a 1x1 map).
    case fc
  }

  /// Short unique name, e.g. `conv1`, `b01`, `pool`, `fc`.
  public let name: String
  /// What the layer computes.
  public let kind: Kind
  /// Input channels.
  public let inChannels: Int
  /// Output channels.
  public let outChannels: Int
  /// Input height.
  public let height: Int
  /// Input width.
  public let width: Int
  /// Output height.
  public let outHeight: Int
  /// Output width.
  public let outWidth: Int
  /// Stride (the depthwise stride for a separable layer).
  public let stride: Int
  /// Kernel height (the depthwise kernel for a separable layer, the window for pooling).
  public let kernelH: Int
  /// Kernel width.
  public let kernelW: Int
  /// The convolution behind the layer: the block shape (standard twin, groups 1) for a
  /// separable layer, the convolution itself for `conv` and `fc`, nil for pooling.
  public let problem: ConvProblem?
  /// Counts of the layer as the network computes it (depthwise + pointwise for `sepBlock`).
  public let counts: LayerCounts
  /// The depthwise part of a separable layer; nil otherwise.
  public let depthwise: LayerCounts?
  /// The pointwise part of a separable layer; nil otherwise.
  public let pointwise: LayerCounts?
  /// Counts of the standard KxK convolution with the same channels, stride and padding that a
  /// separable layer replaces; equal to `counts` for every other kind, so the column sums to
  /// the all-standard network.
  public let standard: LayerCounts
  /// Minimum bytes moved: 4 per input element, weight and output element (plus the BN scale
  /// and shift of `ConvKernels.OpCost` for `conv` and `sepBlock`, which carry BN + ReLU).
  public let bytesMin: Int

  /// Multiply-accumulates of the layer as computed.
  public var macs: Int { counts.macs }
  /// Parameters of the layer as computed.
  public var params: Int { counts.params }

  /// `macs / standard.macs`: `1/C_out + 1/K²` for a separable layer, 1 for a standard one,
  /// nil when the layer has no MACs.
  public var macRatio: Double? {
    standard.macs == 0 ? nil : Double(counts.macs) / Double(standard.macs)
  }

  /// Multiplications of the standard twin of this layer when a stride-1 3x3 convolution runs
  /// as Winograd F(4x4, 3x3) (`WinogradTransform.cost`: tiles x 36 x C_in x C_out, edge tiles
  /// counted whole); every other layer counts its direct `standard.macs`.
  public var standardWinogradMults: Int {
    guard let p = problem, WinogradTransform.unsupportedReason(p) == nil else {
      return standard.macs
    }
    return WinogradTransform.f4x4.cost(p).mults
  }

  /// Kernel as text, e.g. `3x3`.
  public var kernelText: String { "\(kernelH)x\(kernelW)" }
}

extension NetworkLayer {
  /// A standard convolution layer (BN + ReLU follow it; they add no MACs or params).
  static func convolution(name: String, _ p: ConvProblem) -> NetworkLayer {
    let counts = LayerCounts(.conv, on: p)
    return NetworkLayer(
      name: name, kind: .conv, inChannels: p.inChannels, outChannels: p.outChannels,
      height: p.height, width: p.width, outHeight: p.outHeight, outWidth: p.outWidth,
      stride: p.stride, kernelH: p.kernelH, kernelW: p.kernelW, problem: p, counts: counts,
      depthwise: nil, pointwise: nil, standard: counts, bytesMin: p.cost(for: .convBlock).bytesMin)
  }

  /// A depthwise-separable layer for the block shape `p` (groups 1; see
  /// `ConvProblem.part(for:)`).
  static func separable(name: String, _ p: ConvProblem) -> NetworkLayer {
    let dw = LayerCounts(.dw, on: p)
    let pw = LayerCounts(.pw, on: p)
    let block = p.cost(for: .sepBlock)
    precondition(block.macs == dw.macs + pw.macs && block.params == dw.params + pw.params)
    return NetworkLayer(
      name: name, kind: .sepBlock, inChannels: p.inChannels, outChannels: p.outChannels,
      height: p.height, width: p.width, outHeight: p.outHeight, outWidth: p.outWidth,
      stride: p.stride, kernelH: p.kernelH, kernelW: p.kernelW, problem: p,
      counts: LayerCounts(macs: block.macs, params: block.params), depthwise: dw, pointwise: pw,
      standard: LayerCounts(.conv, on: p), bytesMin: block.bytesMin)
  }

  /// Global average pooling of a `channels` x `h` x `w` map: no MACs, no parameters (its
  /// `h * w * channels` additions are not multiply-accumulates).
  static func averagePool(name: String, channels: Int, h: Int, w: Int) -> NetworkLayer {
    let zero = LayerCounts(macs: 0, params: 0)
    return NetworkLayer(
      name: name, kind: .avgPool, inChannels: channels, outChannels: channels, height: h,
      width: w, outHeight: 1, outWidth: 1, stride: 1, kernelH: h, kernelW: w, problem: nil,
      counts: zero, depthwise: nil, pointwise: nil, standard: zero,
      bytesMin: 4 * (channels * h * w + channels))
  }

  /// A fully connected layer `inputs -> outputs`, as a 1x1 convolution on a 1x1 map; no bias.
  static func fullyConnected(name: String, inputs: Int, outputs: Int) throws -> NetworkLayer {
    let p = try ConvProblem.pointwise(inChannels: inputs, outChannels: outputs, h: 1, w: 1)
    let counts = LayerCounts(.conv, on: p)
    return NetworkLayer(
      name: name, kind: .fc, inChannels: inputs, outChannels: outputs, height: 1, width: 1,
      outHeight: 1, outWidth: 1, stride: 1, kernelH: 1, kernelW: 1, problem: p, counts: counts,
      depthwise: nil, pointwise: nil, standard: counts, bytesMin: p.cost(for: .conv).bytesMin)
  }
}
