import ConvKernels

/// The seeded weights of one stage: the operator's parameters and, for the FC layer, its bias.
public struct StageWeights: Sendable {
  public let parameters: OpParameters?
  /// The FC layer's bias, one per class; nil for every other stage.
  public let bias: [Float]?

  /// Reproducible weights for `stage`, drawn from `seed` and the stage's name and kind, so the
  /// separable network and its twins share the stem and the FC layer, and the two twins share
  /// every block.
  public init(for stage: NetworkStage, seed: UInt64) {
    guard let op = stage.op, let problem = stage.problem else {
      parameters = nil
      bias = nil
      return
    }
    let stageSeed = Self.mix(seed, "\(stage.name)|\(op.rawValue)")
    parameters = OpParameters.random(for: op, problem: problem, seed: stageSeed)
    if stage.kind == .fullyConnected {
      var generator = SplitMix64(seed: stageSeed &+ 1)
      bias = (0..<problem.outChannels).map { _ in 0.5 * generator.nextSignedUnitFloat() }
    } else {
      bias = nil
    }
  }

  /// `seed` mixed with the FNV-1a hash of `text`.
  static func mix(_ seed: UInt64, _ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return seed ^ hash
  }
}
