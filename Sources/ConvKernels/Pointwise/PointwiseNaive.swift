/// Pointwise (1x1) convolution as direct loops with Float accumulation.
struct PointwiseNaive: KernelVariant {
  static let op = Op.pw
  static let family = "naive"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let summary = "direct loops over output channels, pixels and input channels"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    NaiveStageKernel(
      layout: layout,
      stages: [PreparedStage(problem.part(for: Self.op), weights: parameters.weights, norm: nil)])
  }
}
