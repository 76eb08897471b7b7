/// What every `naive` family shares: both layouts, one thread, every shape, and a `prepare`
/// that only copies its stages' weights (and BN scale and shift) into aligned storage. A
/// family says which stages it chains.
package protocol NaiveFamily: KernelVariant {
  /// The convolution stages of the operator on the block shape `problem`, in order.
  static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage]
}

extension NaiveFamily {
  package static var family: String { "naive" }
  package static var layouts: Set<Layout> { [.nchw, .nhwc] }

  package func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  package func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    NaiveStageKernel(layout: layout, stages: Self.stages(problem, parameters))
  }
}
