/// Pointwise (1x1) convolution as direct loops with Float accumulation.
package struct PointwiseNaive: NaiveFamily {
  package static let op = Op.pw
  package static let summary = "direct loops over output channels, pixels and input channels"
  package let layout: Layout
  package let threads: Int

  package static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage]
  {
    [PreparedStage(problem.pointwisePart, weights: parameters.weights, norm: nil)]
  }

  package init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }
}
