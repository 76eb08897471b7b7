/// Standard convolution as seven nested loops with Float accumulation.
struct ConvNaive: KernelVariant {
  static let op = Op.conv
  static let family = "naive"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let summary = "direct 7-loop convolution, scalar Float accumulation"
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
