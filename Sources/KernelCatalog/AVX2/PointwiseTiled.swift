import ConvKernels
import ConvKernelsAVX2

/// Pointwise (1x1) convolution with cache blocking only: plain loops the compiler
/// auto-vectorises (`vmulps` + `vaddps`, no FMA contraction), no packing, no register tile.
/// The gap to `packed-gemm` is what the micro-kernel and packing buy.
///
/// NHWC: for each block of 32 pixels and 64 input channels, `dst[p][oc] += src[p][ic] *
/// wt[ic][oc]` with the inner loop over output channels; `wt` is W transposed once in
/// `prepare` (`[C_in][C_out]`, a plain layout change, not a panel packing).
/// NCHW: for each block of 256 pixels and each output channel, `dst[oc][p] += w[oc][ic] *
/// src[ic][p]` with the inner loop over pixels; the source block (C_in x 256) stays in L2.
///
/// Threads own disjoint pixels (or output channels when there are few pixels); the sum over
/// input channels always runs in the same order, so any thread count gives the same bits.
struct PointwiseTiled: KernelVariant {
  static let op = Op.pw
  static let family = "tiled"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true  // threads own disjoint output pixels or channels; no reduction
  static let isa = ISA.avx2
  static let summary = "cache-blocked loops (32-64 pixels x 64 C_in), auto-vectorised, no packing"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.isPointwise ? nil : "needs a 1x1, stride-1, unpadded problem, got \(problem.descriptor)"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    PointwiseTiledKernel(
      problem.part(for: Self.op), layout: layout, threads: threads, pool: pool,
      weights: parameters.weights)
  }
}
