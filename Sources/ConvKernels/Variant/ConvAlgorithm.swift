/// How a family computes a convolution. Every algorithm computes the same operator; they
/// differ in the arithmetic they perform, which `AlgorithmCost` counts.
public enum ConvAlgorithm: String, CaseIterable, Sendable, Codable {
  /// Every MAC of the definition is performed: naive loops, direct register tiles, im2col +
  /// GEMM, the depthwise and pointwise kernels.
  case direct
  /// Winograd minimal filtering: fewer multiplications, paid for with input and output
  /// transforms and a larger rounding error.
  case winograd
}

/// The arithmetic a variant actually performs on one problem, beside the workload's MACs
/// (`OpCost.macs`, which stays the direct-convolution count for every algorithm).
public struct AlgorithmCost: Hashable, Sendable, Codable {
  /// Multiplications of the algorithm's main products (for a direct algorithm: its MACs; for
  /// Winograd: the element-wise products in the transformed domain).
  public var mults: Int
  /// FLOPs of the timed transforms (Winograd's input and output transforms); 0 for a direct
  /// algorithm. Transforms of the weights happen in `prepare` and are not counted.
  public var transformFlops: Int

  public init(mults: Int, transformFlops: Int) {
    self.mults = mults
    self.transformFlops = transformFlops
  }
}
