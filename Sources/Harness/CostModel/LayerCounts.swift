import ConvKernels

/// Multiply-accumulates and parameters of one computation.
public struct LayerCounts: Hashable, Sendable {
  /// Multiply-accumulates (one per weight tap per output element; see `MobileNetV1`).
  public var macs: Int
  /// Weights (no bias, no batch norm; see `MobileNetV1`).
  public var params: Int

  public init(macs: Int, params: Int) {
    self.macs = macs
    self.params = params
  }

  /// Both counts of `op` on the block shape `problem` (see `ConvProblem.part(for:)`).
  init(_ op: Op, on problem: ConvProblem) {
    let cost = problem.cost(for: op)
    self.init(macs: cost.macs, params: cost.params)
  }
}
