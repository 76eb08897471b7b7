import ConvKernels
import ConvKernelsAVX2

/// conv KxK -> BN -> ReLU with BN folded into the weights in `prepare`
/// (`w' = w * scale[oc]`, `bias = shift[oc]`, `BlockConvEngine.foldBatchNorm`) and bias +
/// ReLU applied in the GEMM epilogue, so the output is written once and never re-read.
struct StandardBlockBNFolded: KernelVariant {
  static let op = Op.convBlock
  static let family = "bn-folded"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true  // threads own disjoint outputs; no reduction
  static let isa = ISA.avx2
  static let summary = "BN folded into weights + bias, bias and ReLU in the GEMM epilogue"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.groups == 1 ? nil : "needs groups = 1, got \(problem.groups)"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let folded = BlockConvEngine.foldBatchNorm(weights: parameters.weights, norm: parameters.norm!)
    return BlockConvEngine.prepare(
      problem.part(for: Self.op), layout: layout, threads: threads, pool: pool,
      weights: folded.weights, bias: folded.bias, relu: true)
  }
}
