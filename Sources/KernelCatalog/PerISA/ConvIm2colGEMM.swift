import ConvKernels

/// KxK convolution as im2col + packed GEMM, im2col done block by block in the timed run, on
/// the register tiles of `Target`.
///
/// Layouts, blocking and thread split: see `ConvIm2colGEMMKernel` (NHWC: patch rows times
/// prepacked weights; NCHW: OIHW weights times patches packed straight into GEMM panels).
struct ConvIm2colGEMM<Target: ISATarget>: KernelVariant {
  static var op: Op { .conv }
  static var family: String { "im2col-gemm" + Target.familySuffix }
  static var layouts: Set<Layout> { [.nchw, .nhwc] }
  static var isThreaded: Bool { true }  // threads own disjoint output pixels or channels
  static var isa: ISA { Target.isa }
  static var summary: String {
    "im2col in L2-sized pixel blocks, then the \(Target.tiles) FMA GEMM"
  }
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.groups == 1 ? nil : "needs groups = 1, got \(problem.groups)"
  }

  func note(for problem: ConvProblem) -> String? {
    Target.Kernels.im2colNote(problem.part(for: Self.op), layout: layout, threads: threads)
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    Target.Kernels.im2colConv(
      problem.part(for: Self.op), layout: layout, threads: threads, pool: pool,
      weights: parameters.weights, bias: nil, relu: false)
  }
}
