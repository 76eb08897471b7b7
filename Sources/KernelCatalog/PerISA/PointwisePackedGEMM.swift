import ConvKernels

/// Pointwise (1x1) convolution as a packed GEMM on the register tiles of `Target`
/// (AVX2: 3x32 + 6x16; AVX-512: 12x32 + 12x16).
///
/// Layouts, packing and thread split: see `PointwiseGEMMKernel` (NHWC: weights packed once,
/// pixels split across threads; NCHW: pixels packed per L2 block in the timed run).
struct PointwisePackedGEMM<Target: ISATarget>: KernelVariant {
  static var op: Op { .pw }
  static var family: String { "packed-gemm" + Target.familySuffix }
  static var layouts: Set<Layout> { [.nchw, .nhwc] }
  static var isThreaded: Bool { true }  // threads own disjoint output pixels or channels
  static var isa: ISA { Target.isa }
  static var summary: String {
    "GEMM, \(Target.tiles) FMA register tiles, K blocked by 512, packed 16-column panels"
  }
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.isPointwise ? nil : "needs a 1x1, stride-1, unpadded problem, got \(problem.descriptor)"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    Target.Kernels.pointwise(
      problem, layout: layout, threads: threads, pool: pool, weights: parameters.weights)
  }
}
