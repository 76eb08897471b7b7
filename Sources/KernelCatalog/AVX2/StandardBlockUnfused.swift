import ConvKernels
import ConvKernelsAVX2

/// conv KxK -> BN -> ReLU as the fastest fast convolution (`BlockConvEngine`), then a separate
/// threaded SIMD pass for BN + ReLU over the output (`BNReLUPass`): the baseline that
/// `bn-folded` is measured against.
struct StandardBlockUnfused: KernelVariant {
  static let op = Op.convBlock
  static let family = "unfused"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true  // both passes split outputs across threads; no reduction
  static let isa = ISA.avx2
  static let summary = "direct-simd (NHWC) or im2col-gemm (NCHW) conv, then a BN+ReLU pass"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.groups == 1 ? nil : "needs groups = 1, got \(problem.groups)"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let p = problem.part(for: Self.op)
    let conv = BlockConvEngine.prepare(
      p, layout: layout, threads: threads, pool: pool, weights: parameters.weights, bias: nil,
      relu: false)
    let pass = BNReLUPass(
      shape: p.outputShape(for: Self.op), layout: layout, threads: threads, pool: pool,
      norm: parameters.norm!)
    return Prepared(conv: conv, pass: pass)
  }

  final class Prepared: PreparedKernel {
    let conv: any PreparedKernel
    let pass: BNReLUPass

    init(conv: any PreparedKernel, pass: BNReLUPass) {
      self.conv = conv
      self.pass = pass
    }

    func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
      conv.run(src, dst)
      pass.run(dst)
    }
  }
}
