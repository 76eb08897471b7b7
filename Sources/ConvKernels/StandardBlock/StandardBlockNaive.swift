/// conv KxK, then BN, then ReLU, each a separate pass of direct loops.
struct StandardBlockNaive: NaiveFamily {
  static let op = Op.convBlock
  static let summary = "naive conv, then BN+ReLU in a second pass over the output"
  let layout: Layout
  let threads: Int

  static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage] {
    [PreparedStage(problem.part(for: op), weights: parameters.weights, norm: parameters.norm)]
  }
}
