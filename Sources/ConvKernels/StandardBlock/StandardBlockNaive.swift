/// conv KxK, then BN, then ReLU, each a separate pass of direct loops.
package struct StandardBlockNaive: NaiveFamily {
  package static let op = Op.convBlock
  package static let summary = "naive conv, then BN+ReLU in a second pass over the output"
  package let layout: Layout
  package let threads: Int

  package static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage]
  {
    [PreparedStage(problem.part(for: op), weights: parameters.weights, norm: parameters.norm)]
  }

  package init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }
}
