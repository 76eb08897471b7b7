import ConvKernels
import ConvKernelsAVX2

/// Depthwise convolution as cache-blocked scalar loops that the compiler may auto-vectorise:
/// the middle ground between `naive` (no blocking) and `simd8` (explicit FMAs).
///
/// Layout: NCHW src[c][h][w] / dst[c][oh][ow]; NHWC src[h][w][c] / dst[oh][ow][c] with weights
/// packed [kh][kw][c] in `prepare`.
/// Blocking: one output row (NCHW: of one channel; NHWC: of at most 64 channels, <= 16 KiB
/// for W_out <= 64) stays in L1 while every tap is added into it as an axpy over the columns
/// (NCHW) or over the channels of each pixel (NHWC, contiguous so it vectorises).
/// Borders: each tap's valid column range is computed once per row, so the inner loops have no
/// branches; rows outside the image are skipped.
/// Arithmetic: `dst = 0`, then `dst += x * w` (separate multiply and add: Swift does not
/// contract) over in-image taps in (kh, kw) order, whatever the split.
/// Threads: disjoint (image, row block, channel block) tasks (`DepthwiseSplit`), no reduction,
/// so any thread count gives bitwise the same output.
struct DepthwiseTiled: KernelVariant {
  static let op = Op.dw
  static let family = "tiled"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true  // threads own disjoint (rows x channels) output blocks
  static let isa = ISA.avx2
  static let summary =
    "any-K dw, one output row per block in L1, per-tap axpy loops (auto-vectorised)"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    DepthwiseTiledKernel(
      problem.part(for: Self.op), weights: parameters.weights, layout: layout, threads: threads,
      pool: pool)
  }
}
