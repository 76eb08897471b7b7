/// Depthwise convolution as direct loops with Float accumulation.
package struct DepthwiseNaive: NaiveFamily {
  package static let op = Op.dw
  package static let summary =
    "direct loops over channels, pixels and taps, scalar Float accumulation"
  package let layout: Layout
  package let threads: Int

  package static func stages(_ problem: ConvProblem, _ parameters: OpParameters) -> [PreparedStage]
  {
    [PreparedStage(problem.depthwisePart, weights: parameters.weights, norm: nil)]
  }

  package init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }
}
