/// Runs one naive stage, or two through an intermediate tensor allocated once, here, outside
/// the timed `run`.
final class NaiveStageKernel: PreparedKernel {
  let layout: Layout
  let first: PreparedStage
  let second: PreparedStage?
  let intermediate: AlignedBuffer?

  init(layout: Layout, stages: [PreparedStage]) {
    precondition((1...2).contains(stages.count), "naive kernels chain one or two stages")
    self.layout = layout
    first = stages[0]
    second = stages.count == 2 ? stages[1] : nil
    intermediate = second.map { _ in AlignedBuffer(count: stages[0].problem.outputCount) }
  }

  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    guard let second, let intermediate else {
      first.runNaive(layout: layout, src, dst)
      return
    }
    first.runNaive(layout: layout, src, intermediate.pointer)
    second.runNaive(layout: layout, UnsafePointer(intermediate.pointer), dst)
  }
}
