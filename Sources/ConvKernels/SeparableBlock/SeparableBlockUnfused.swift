/// The separable block as four passes over memory: depthwise, BN+ReLU, pointwise, BN+ReLU.
/// The depthwise output is a full intermediate tensor (C_in x H_out x W_out floats, allocated
/// in `prepare`), written by dw, read and rewritten by BN+ReLU, read by pw; the block output is
/// written by pw and rewritten by the second BN+ReLU. This is how a framework without graph
/// optimisation runs the block.
struct SeparableBlockUnfused: KernelVariant {
  static let op = Op.sepBlock
  static let family = "unfused"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true
  static let requires: CPUFeatures = [.avx2, .fma]
  static let summary =
    "dw.simd8, BN+ReLU pass, pw.packed-gemm, BN+ReLU pass; full intermediate tensor"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func note(for problem: ConvProblem) -> String? {
    SeparableStages.intermediateNote(problem)
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    SeparableChainKernel(
      intermediateCount: problem.depthwisePart.outputCount,
      depthwise: SeparableStages.depthwise(
        problem, layout: layout, threads: threads, pool: pool, weights: parameters.weights,
        norm: nil),
      depthwisePass: BNReLUPass(
        shape: problem.depthwisePart.outputShape(for: .dw), layout: layout, threads: threads,
        pool: pool, norm: parameters.norm!),
      pointwise: SeparableStages.pointwise(
        problem, layout: layout, threads: threads, pool: pool,
        weights: parameters.pointwiseWeights!, norm: nil),
      pointwisePass: BNReLUPass(
        shape: problem.pointwisePart.outputShape(for: .pw), layout: layout, threads: threads,
        pool: pool, norm: parameters.pointwiseNorm!))
  }
}

/// dw -> [BN+ReLU] -> pw -> [BN+ReLU] through one intermediate buffer allocated here.
final class SeparableChainKernel: PreparedKernel {
  let depthwise: any PreparedKernel
  let depthwisePass: BNReLUPass?
  let pointwise: any PreparedKernel
  let pointwisePass: BNReLUPass?
  let intermediate: AlignedBuffer

  init(
    intermediateCount: Int, depthwise: any PreparedKernel, depthwisePass: BNReLUPass?,
    pointwise: any PreparedKernel, pointwisePass: BNReLUPass?
  ) {
    self.depthwise = depthwise
    self.depthwisePass = depthwisePass
    self.pointwise = pointwise
    self.pointwisePass = pointwisePass
    intermediate = AlignedBuffer(count: intermediateCount)
  }

  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    depthwise.run(src, intermediate.pointer)
    depthwisePass?.run(intermediate.pointer)
    pointwise.run(intermediate.pointer, dst)
    pointwisePass?.run(dst)
  }
}
