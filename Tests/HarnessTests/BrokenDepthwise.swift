import ConvKernels
import KernelCatalog

/// A depthwise kernel with a deliberate bug, to prove validation catches it.
struct BrokenDepthwise: KernelVariant {
  enum Fault: Sendable { case offByOneULP, skipsLastOutput, wrongTap }
  static let op = Op.dw
  static let family = "broken"
  static let layouts: Set<Layout> = [.nchw]
  static let summary = "test double"
  let layout: Layout
  let threads: Int
  var fault = Fault.wrongTap

  init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let naive = VariantRegistry.family(op: .dw, named: "naive")!.init(layout: layout, threads: 1)
    return Kernel(
      inner: naive.prepare(problem, parameters, pool: pool),
      count: problem.part(for: .dw).outputCount,
      fault: fault)
  }

  final class Kernel: PreparedKernel {
    let inner: any PreparedKernel
    let count: Int
    let fault: Fault
    init(inner: any PreparedKernel, count: Int, fault: Fault) {
      self.inner = inner
      self.count = count
      self.fault = fault
    }
    func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
      let last = dst[count - 1]
      inner.run(src, dst)
      switch fault {
      case .offByOneULP: dst[0] = dst[0].nextUp
      case .skipsLastOutput: dst[count - 1] = last
      case .wrongTap: dst[count / 2] += 0.01
      }
    }
  }
}
