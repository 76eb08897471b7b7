/// dw, BN+ReLU, pw, BN+ReLU as four passes of direct loops through a full intermediate tensor.
struct SeparableBlockNaive: KernelVariant {
  static let op = Op.sepBlock
  static let family = "naive"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let summary = "naive dw, BN+ReLU, naive pw, BN+ReLU; full intermediate tensor"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    NaiveStageKernel(
      layout: layout,
      stages: [
        PreparedStage(problem.depthwisePart, weights: parameters.weights, norm: parameters.norm),
        PreparedStage(
          problem.pointwisePart, weights: parameters.pointwiseWeights!,
          norm: parameters.pointwiseNorm),
      ])
  }
}
