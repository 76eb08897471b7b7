/// Pointwise (1x1) convolution as direct loops with Float accumulation.
struct PointwiseNaive: NaiveFamily {
  static let op = Op.pw
  static let summary = "direct loops over output channels, pixels and input channels"
  let layout: Layout
  let threads: Int

  static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage] {
    [PreparedStage(problem.pointwisePart, weights: parameters.weights, norm: nil)]
  }
}
