import ConvKernels
import ConvKernelsAVX2

/// KxK convolution as im2col + packed GEMM, im2col done block by block in the timed run.
///
/// Layouts, blocking and thread split: see `ConvIm2colGEMMKernel` (NHWC: patch rows times
/// prepacked weights; NCHW: OIHW weights times patches packed straight into GEMM panels).
struct ConvIm2colGEMM: KernelVariant {
  static let op = Op.conv
  static let family = "im2col-gemm"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true  // threads own disjoint output pixels or channels; no reduction
  static let isa = ISA.avx2
  static let summary = "im2col in L2-sized pixel blocks, then the 3x32 + 6x16 FMA GEMM"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.groups == 1 ? nil : "needs groups = 1, got \(problem.groups)"
  }

  func note(for problem: ConvProblem) -> String? {
    ConvIm2colGEMMKernel.note(problem.part(for: Self.op), layout: layout, threads: threads)
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    ConvIm2colGEMMKernel(
      problem.part(for: Self.op), layout: layout, threads: threads, pool: pool,
      weights: parameters.weights, bias: nil, relu: false)
  }
}
