import ConvKernels
import ConvKernelsAVX2

/// Pointwise (1x1) convolution as a packed GEMM on the 3x32 and 6x16 FMA micro-kernels.
///
/// Layouts, packing and thread split: see `PointwiseGEMMKernel` (NHWC: weights packed once,
/// pixels split across threads; NCHW: pixels packed per L2 block in the timed run).
struct PointwisePackedGEMM: KernelVariant {
  static let op = Op.pw
  static let family = "packed-gemm"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true  // threads own disjoint output pixels or channels; no reduction
  static let isa = ISA.avx2
  static let summary =
    "GEMM, 3x32 + 6x16 FMA register tiles, K blocked by 512, packed 16-column panels"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.isPointwise ? nil : "needs a 1x1, stride-1, unpadded problem, got \(problem.descriptor)"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    PointwiseGEMMKernel(
      problem.part(for: Self.op), layout: layout, threads: threads, pool: pool,
      weights: parameters.weights, bias: nil, relu: false)
  }
}
