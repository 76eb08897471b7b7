/// conv KxK, then BN, then ReLU, each a separate pass of direct loops.
struct StandardBlockNaive: KernelVariant {
  static let op = Op.convBlock
  static let family = "naive"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let summary = "naive conv, then BN+ReLU in a second pass over the output"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    NaiveStageKernel(
      layout: layout,
      stages: [PreparedStage(problem, weights: parameters.weights, norm: parameters.norm)])
  }
}
