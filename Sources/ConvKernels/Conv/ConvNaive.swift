/// Standard convolution as seven nested loops with Float accumulation.
struct ConvNaive: NaiveFamily {
  static let op = Op.conv
  static let summary = "direct 7-loop convolution, scalar Float accumulation"
  let layout: Layout
  let threads: Int

  static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage] {
    [PreparedStage(problem.part(for: op), weights: parameters.weights, norm: nil)]
  }
}
