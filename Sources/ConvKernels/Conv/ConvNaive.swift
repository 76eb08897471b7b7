/// Standard convolution as seven nested loops with Float accumulation.
package struct ConvNaive: NaiveFamily {
  package static let op = Op.conv
  package static let summary = "direct 7-loop convolution, scalar Float accumulation"
  package let layout: Layout
  package let threads: Int

  package static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage]
  {
    [PreparedStage(problem.part(for: op), weights: parameters.weights, norm: nil)]
  }

  package init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }
}
