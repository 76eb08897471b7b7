import ConvKernels
import ConvKernelsAVX2

/// KxK convolution in NHWC straight from the input, without im2col: an indirect GEMM on the
/// 6x16 FMA register tile.
///
/// Layout: src[n][h][w][C_in], dst[n][oh][ow][C_out]; weights packed once into 16-channel
/// panels `[(kh, kw, ic)][16]` (`GEMMPackedWeights` of Wᵀ in OHWI order).
/// Registers: 6 output pixels x 16 output channels (12 ymm); for each of the KH*KW taps the
/// tile reads C_in contiguous channels of 6 input pixels through 6 row pointers, so the whole
/// K = KH*KW*C_in sum stays in registers and C is written once.
/// Blocking: 48 output pixels at a time; their row pointers (one per pixel and tap, padding
/// taps point at a zero row) are built once per block in a per-task indirection buffer, then
/// every 16-channel panel sweeps the block (panel: KH*KW*C_in*16 floats, L2-resident).
/// Tails: missing pixels of the last tile alias a real pixel and are not stored; channel
/// tails use the zero-padded panel and element stores.
/// Threads own disjoint output pixels, or 16-channel panels when pixels are few; no
/// reduction is split, so any thread count gives bitwise the same output.
struct ConvDirectSIMD: KernelVariant {
  static let op = Op.conv
  static let family = "direct-simd"
  static let layouts: Set<Layout> = [.nhwc]  // needs contiguous channels per pixel
  static let isThreaded = true  // threads own disjoint output pixels or channels; no reduction
  static let isa = ISA.avx2
  static let summary = "indirect GEMM: 6 pixels x 16 channels in registers over all KxK taps"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.groups == 1 ? nil : "needs groups = 1, got \(problem.groups)"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    ConvDirectKernel(
      problem.part(for: Self.op), threads: threads, pool: pool, weights: parameters.weights,
      bias: nil, relu: false)
  }
}
