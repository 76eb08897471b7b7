import ConvKernels
import ConvKernelsAVX2

/// The separable block in two passes over memory: depthwise with BN + ReLU in its epilogue
/// (one FMA and a max per output vector, applied while the accumulators are in registers),
/// then pointwise with the second BN folded into its weights and bias and ReLU in the GEMM
/// epilogue. The intermediate tensor is written once and read once.
struct SeparableBlockBNFolded: KernelVariant {
  static let op = Op.sepBlock
  static let family = "bn-folded"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true
  static let isa = ISA.avx2
  static let summary =
    "dw.simd8 with BN+ReLU epilogue, then pw.packed-gemm with BN folded, ReLU epilogue"
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
        norm: parameters.norm),
      depthwisePass: nil,
      pointwise: SeparableStages.pointwise(
        problem, layout: layout, threads: threads, pool: pool,
        weights: parameters.pointwiseWeights!, norm: parameters.pointwiseNorm),
      pointwisePass: nil)
  }
}
