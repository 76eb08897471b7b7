import ConvKernels
import ConvKernelsAVX2

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
  static let isa = ISA.avx2
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
