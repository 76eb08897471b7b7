/// Inference batch normalisation of one tensor's channels:
/// `y = gamma * (x - mean) / sqrt(variance + epsilon) + beta`.
public struct BatchNorm: Hashable, Sendable {
  public var gamma: [Float]
  public var beta: [Float]
  public var mean: [Float]
  public var variance: [Float]
  public var epsilon: Float

  public init(
    gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float = 1e-5
  ) {
    precondition(
      [beta.count, mean.count, variance.count].allSatisfy { $0 == gamma.count },
      "batch norm arrays differ in length")
    self.gamma = gamma
    self.beta = beta
    self.mean = mean
    self.variance = variance
    self.epsilon = epsilon
  }

  /// Number of channels.
  public var channels: Int { gamma.count }

  /// The affine form `y = scale * x + shift` per channel, the way BN folding uses it.
  /// Computed in Double and rounded once, so every variant folds to the same floats.
  public var scaleAndShift: (scale: [Float], shift: [Float]) {
    var scale = [Float](repeating: 0, count: channels)
    var shift = [Float](repeating: 0, count: channels)
    for c in 0..<channels {
      let s = Double(gamma[c]) / (Double(variance[c]) + Double(epsilon)).squareRoot()
      scale[c] = Float(s)
      shift[c] = Float(Double(beta[c]) - Double(mean[c]) * s)
    }
    return (scale, shift)
  }

  /// `weights` (one output channel per `weights.count / channels` values, e.g. OIHW) with this
  /// normalisation folded in: `w'[oc] = w[oc] * scale[oc]`, `bias[oc] = shift[oc]`
  /// (`scaleAndShift`), so `conv(x; w') + bias` equals `scale * conv(x; w) + shift` up to
  /// rounding.
  public func folded(into weights: [Float]) -> (weights: [Float], bias: [Float]) {
    let (scale, shift) = scaleAndShift
    let perChannel = weights.count / channels
    var folded = weights
    for oc in 0..<channels {
      for i in (oc * perChannel)..<((oc + 1) * perChannel) { folded[i] = weights[i] * scale[oc] }
    }
    return (folded, shift)
  }

  /// Random but plausible statistics: gamma and variance in [0.5, 1.5), beta and mean in
  /// [-0.5, 0.5).
  public static func random(channels: Int, generator: inout SplitMix64) -> BatchNorm {
    func draw(_ offset: Float) -> [Float] {
      (0..<channels).map { _ in 0.5 * generator.nextSignedUnitFloat() + offset }
    }
    return BatchNorm(gamma: draw(1), beta: draw(0), mean: draw(0), variance: draw(1))
  }
}

/// The weights and normalisation statistics of one operator, in canonical order.
///
/// Convolution weights are always OIHW: `[C_out][C_in / groups][KH][KW]`, whatever the
/// activation layout; a variant repacks them in `prepare`.
/// - `conv`, `dw`, `pw`: `weights` only.
/// - `conv_block`: `weights` (the KxK conv) and `norm`.
/// - `sep_block`: `weights` (the depthwise part, `[C_in][1][KH][KW]`), `norm` (after dw),
///   `pointwiseWeights` (`[C_out][C_in]`) and `pointwiseNorm` (after pw).
public struct OpParameters: Sendable {
  public var weights: [Float]
  public var norm: BatchNorm?
  public var pointwiseWeights: [Float]?
  public var pointwiseNorm: BatchNorm?

  public init(
    weights: [Float], norm: BatchNorm? = nil, pointwiseWeights: [Float]? = nil,
    pointwiseNorm: BatchNorm? = nil
  ) {
    self.weights = weights
    self.norm = norm
    self.pointwiseWeights = pointwiseWeights
    self.pointwiseNorm = pointwiseNorm
  }

  /// Reproducible random parameters for `op` on the block shape `problem`. Weights are in
  /// [-1, 1) scaled by 1 / sqrt(fan-in), so activations keep a magnitude near 1 through a block.
  public static func random(for op: Op, problem: ConvProblem, seed: UInt64) -> OpParameters {
    var generator = SplitMix64(seed: seed)
    func weights(_ p: ConvProblem) -> [Float] {
      let scale = 1 / Float(p.inChannelsPerGroup * p.kernelH * p.kernelW).squareRoot()
      return (0..<p.weightCount).map { _ in generator.nextSignedUnitFloat() * scale }
    }
    let p = problem.part(for: op)
    switch op {
    case .conv, .dw, .pw:
      return OpParameters(weights: weights(p))
    case .convBlock:
      let w = weights(p)
      return OpParameters(
        weights: w, norm: .random(channels: p.outChannels, generator: &generator))
    case .sepBlock:
      let dw = weights(p.depthwisePart)
      let dwNorm = BatchNorm.random(channels: p.inChannels, generator: &generator)
      let pw = weights(p.pointwisePart)
      let pwNorm = BatchNorm.random(channels: p.outChannels, generator: &generator)
      return OpParameters(weights: dw, norm: dwNorm, pointwiseWeights: pw, pointwiseNorm: pwNorm)
    }
  }
}
