/// dw, BN+ReLU, pw, BN+ReLU as four passes of direct loops through a full intermediate tensor.
package struct SeparableBlockNaive: NaiveFamily {
  package static let op = Op.sepBlock
  package static let summary = "naive dw, BN+ReLU, naive pw, BN+ReLU; full intermediate tensor"
  package let layout: Layout
  package let threads: Int

  package static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage]
  {
    [
      PreparedStage(problem.depthwisePart, weights: parameters.weights, norm: parameters.norm),
      PreparedStage(
        problem.pointwisePart, weights: parameters.pointwiseWeights!, norm: parameters.pointwiseNorm
      ),
    ]
  }

  package init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }
}
