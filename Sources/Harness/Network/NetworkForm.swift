import ConvKernels

/// Which network `sepbench network` runs: the separable network as published, or one of its
/// standard twins, in which every separable block becomes a 3x3 convolution block (conv + BN +
/// ReLU) with the same channels and stride. The raw value is the `model` column of
/// `network.csv`.
public enum NetworkForm: String, CaseIterable, Sendable, Codable {
  /// The network as published: depthwise-separable blocks.
  case separable
  /// Standard twin: every block a direct 3x3 convolution block.
  case standard
  /// Standard twin with Winograd F(2x2) or F(4x4) on every stride-1 block (stride-2 blocks,
  /// which Winograd does not run, stay direct).
  case winograd

  /// Whether a family computing with `algorithm` may run a stage of this form on `problem`.
  /// The stem, the FC layer and the blocks of the separable and standard forms run direct
  /// algorithms only; the Winograd form's stride-1 blocks run anything but direct.
  public func admits(_ algorithm: ConvAlgorithm, block problem: ConvProblem, isBlock: Bool) -> Bool
  {
    guard isBlock else { return algorithm == .direct }
    switch self {
    case .separable, .standard: return algorithm == .direct
    case .winograd:
      return problem.stride == 1 ? algorithm != .direct : algorithm == .direct
    }
  }
}
