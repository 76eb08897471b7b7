/// Runs a chain of naive stages; between two stages the intermediate tensor lives in a buffer
/// allocated once, here, outside the timed `run`.
final class NaiveStageKernel: PreparedKernel {
  let layout: Layout
  let stages: [PreparedStage]
  let intermediates: [AlignedBuffer]

  init(layout: Layout, stages: [PreparedStage]) {
    self.layout = layout
    self.stages = stages
    intermediates = stages.dropLast().map { AlignedBuffer(count: $0.problem.outputCount) }
  }

  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    var input = src
    for (index, stage) in stages.enumerated() {
      let output = index < intermediates.count ? intermediates[index].pointer : dst
      stage.runNaive(layout: layout, input, output)
      input = UnsafePointer(output)
    }
  }
}
