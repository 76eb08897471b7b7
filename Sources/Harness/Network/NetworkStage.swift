import ConvKernels

/// One step of a network's forward pass as `sepbench network` runs it: what it computes, on
/// which shapes, and its analytic cost.
public struct NetworkStage: Hashable, Sendable {
  /// What a stage computes. The raw value is the `kind` column of `network.csv`.
  public enum Kind: String, Sendable, Codable {
    /// A 3x3 convolution + BN + ReLU (the stem, and the blocks of a standard twin).
    case convBlock = "conv_block"
    /// Depthwise 3x3 + BN + ReLU, pointwise 1x1 + BN + ReLU.
    case sepBlock = "sep_block"
    /// Global average pooling.
    case averagePool = "avg_pool"
    /// Fully connected layer with bias: a pointwise convolution on a 1x1 map, then the bias.
    case fullyConnected = "fc"
    /// NCHW to NHWC copy of the input image, when the network runs NHWC.
    case reorder
  }

  /// Short unique name: `conv1`, `b01` … `b13`, `pool`, `fc`, `reorder`.
  public let name: String
  public let kind: Kind
  /// The shape handed to the kernel (`KernelVariant.prepare`): the block shape for
  /// `conv_block` and `sep_block`, the 1x1 pointwise problem for `fc`; nil otherwise.
  public let problem: ConvProblem?
  /// Input and output of the stage (batch 1).
  public let inputShape: TensorShape
  public let outputShape: TensorShape
  /// Multiply-accumulates and parameters (`sepbench model`'s convention).
  public let macs: Int
  public let params: Int
  /// Whether the stage is one of the 13 blocks (the stages a twin replaces).
  public let isBlock: Bool

  public init(
    name: String, kind: Kind, problem: ConvProblem?, inputShape: TensorShape,
    outputShape: TensorShape, macs: Int, params: Int, isBlock: Bool
  ) {
    self.name = name
    self.kind = kind
    self.problem = problem
    self.inputShape = inputShape
    self.outputShape = outputShape
    self.macs = macs
    self.params = params
    self.isBlock = isBlock
  }

  /// The operator whose kernels compute the stage; nil for pooling and reordering.
  public var op: Op? {
    switch kind {
    case .convBlock: .convBlock
    case .sepBlock: .sepBlock
    case .fullyConnected: .pw
    case .averagePool, .reorder: nil
    }
  }

  /// Products summed into one output (for the rounding tolerance; see `NetworkValidation`):
  /// the operator's accumulation length, the pooled pixels, 1 for a copy.
  public var accumulationLength: Int {
    switch kind {
    case .convBlock, .sepBlock, .fullyConnected:
      Reference.accumulationLength(op: op!, problem: problem!)
    case .averagePool: inputShape.h * inputShape.w
    case .reorder: 1
    }
  }

  /// The NCHW to NHWC copy of `shape`.
  public static func reorder(_ shape: TensorShape) -> NetworkStage {
    NetworkStage(
      name: "reorder", kind: .reorder, problem: nil, inputShape: shape, outputShape: shape,
      macs: 0, params: 0, isBlock: false)
  }
}

extension NetworkModel {
  /// The forward pass of `form`: each layer of the cost table as a stage (the separable
  /// layers as standard 3x3 blocks in a twin), reordering excluded.
  public func stages(_ form: NetworkForm) -> [NetworkStage] {
    layers.map { layer in
      let input = TensorShape(n: 1, c: layer.inChannels, h: layer.height, w: layer.width)
      let output = TensorShape(n: 1, c: layer.outChannels, h: layer.outHeight, w: layer.outWidth)
      let kind: NetworkStage.Kind
      var counts = layer.counts
      switch layer.kind {
      case .conv: kind = .convBlock
      case .sepBlock:
        kind = form == .separable ? .sepBlock : .convBlock
        if form != .separable { counts = layer.standard }
      case .avgPool: kind = .averagePool
      case .fc: kind = .fullyConnected
      }
      return NetworkStage(
        name: layer.name, kind: kind, problem: layer.problem, inputShape: input,
        outputShape: output, macs: counts.macs, params: counts.params,
        isBlock: layer.kind == .sepBlock)
    }
  }
}
