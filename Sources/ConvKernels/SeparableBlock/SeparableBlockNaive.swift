/// dw, BN+ReLU, pw, BN+ReLU as four passes of direct loops through a full intermediate tensor.
struct SeparableBlockNaive: NaiveFamily {
  static let op = Op.sepBlock
  static let summary = "naive dw, BN+ReLU, naive pw, BN+ReLU; full intermediate tensor"
  let layout: Layout
  let threads: Int

  static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage] {
    [
      PreparedStage(problem.depthwisePart, weights: parameters.weights, norm: parameters.norm),
      PreparedStage(
        problem.pointwisePart, weights: parameters.pointwiseWeights!, norm: parameters.pointwiseNorm),
    ]
  }
}
