/// Depthwise convolution as direct loops with Float accumulation.
struct DepthwiseNaive: NaiveFamily {
  static let op = Op.dw
  static let summary = "direct loops over channels, pixels and taps, scalar Float accumulation"
  let layout: Layout
  let threads: Int

  static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage] {
    [PreparedStage(problem.depthwisePart, weights: parameters.weights, norm: nil)]
  }
}
