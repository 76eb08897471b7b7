import ConvKernels

/// The separable block in two passes over memory: depthwise with BN + ReLU in its epilogue
/// (one FMA and a max per output vector, applied while the accumulators are in registers),
/// then pointwise with the second BN folded into its weights and bias and ReLU in the GEMM
/// epilogue of `Target`. The intermediate tensor is written once and read once.
struct SeparableBlockBNFolded<Target: ISATarget>: KernelVariant {
  static var op: Op { .sepBlock }
  static var family: String { "bn-folded" + Target.familySuffix }
  static var layouts: Set<Layout> { [.nchw, .nhwc] }
  static var isThreaded: Bool { true }
  static var isa: ISA { Target.isa }
  static var summary: String {
    "dw.simd\(Target.depthwiseLanes) with BN+ReLU epilogue, then the \(Target.tiles) pw GEMM with BN folded, ReLU epilogue"
  }
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func note(for problem: ConvProblem) -> String? {
    "intermediate \(ByteCount(4 * problem.depthwisePart.outputCount))"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    Target.Kernels.separableChain(
      problem, layout: layout, threads: threads, pool: pool, parameters: parameters)
  }
}
