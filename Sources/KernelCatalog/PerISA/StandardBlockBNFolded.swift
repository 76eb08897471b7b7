import ConvKernels

/// conv KxK -> BN -> ReLU with BN folded into the weights in `prepare`
/// (`w' = w * scale[oc]`, `bias = shift[oc]`, `BatchNorm.folded(into:)`) and bias + ReLU
/// applied in the GEMM epilogue of `Target`, so the output is written once and never
/// re-read.
struct StandardBlockBNFolded<Target: ISATarget>: KernelVariant {
  static var op: Op { .convBlock }
  static var family: String { "bn-folded" + Target.familySuffix }
  static var layouts: Set<Layout> { [.nchw, .nhwc] }
  static var isThreaded: Bool { true }  // threads own disjoint outputs; no reduction
  static var isa: ISA { Target.isa }
  static var summary: String {
    "BN folded into weights + bias, bias and ReLU in the \(Target.tiles) GEMM epilogue"
  }
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.groups == 1 ? nil : "needs groups = 1, got \(problem.groups)"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let folded = parameters.norm!.folded(into: parameters.weights)
    return Target.Kernels.blockConv(
      problem.part(for: Self.op), layout: layout, threads: threads, pool: pool,
      weights: folded.weights, bias: folded.bias, relu: true)
  }
}
