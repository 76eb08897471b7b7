import ConvKernels
import ConvKernelsAVX2

/// Depthwise convolution with explicit `SIMD8<Float>` FMAs, in both layouts.
///
/// - NHWC (`DepthwiseRowsNHWC`): 8 channels per FMA, 8 (or 4) output pixels of a row per
///   register block, weights packed `[kh][kw][c]`; borders through a one-pixel SIMD path.
///   3x3 at stride 1 and 2 (all of MobileNetV1) takes a sliding-window path that loads each
///   input vector once per kernel row (`DepthwiseSIMD8+NHWC3x3.swift`).
/// - NCHW (`DepthwiseRowsNCHW`): 8 output pixels along W per FMA, 8 output vectors per
///   register block; input rows copied per 8-row strip into a zero-margined, L1-sized scratch
///   (deinterleaved for stride 2), so borders and small images (7x7) need no scalar path.
///
/// Any kernel size, stride, padding and batch. Threads: the output is cut into disjoint
/// (image, row block, channel block) tasks (`DepthwiseSplit`): NHWC by rows first, NCHW by
/// channels first, the other axis too when the first is short, so both cores stay busy on 7x7
/// and 14x14. Threads own disjoint outputs and never reduce, so the output is bitwise equal
/// for every thread count. Each task of the NCHW kernel owns a scratch made in `prepare`.
struct DepthwiseSIMD8: KernelVariant {
  static let op = Op.dw
  static let family = "simd8"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true  // threads own disjoint (rows x channels) output blocks
  static let isa = ISA.avx2
  static let summary =
    "any-K dw, 8-wide FMAs: NHWC 8 px x 8 ch blocks (3x3 s1/s2: sliding window), NCHW 8 vectors along W from a padded strip"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let p = problem.part(for: Self.op)
    switch layout {
    case .nhwc:
      return DepthwiseSIMD8NHWCKernel(
        DepthwiseRowsNHWC(p, weights: parameters.weights), threads: threads, pool: pool)
    case .nchw:
      return DepthwiseSIMD8NCHWKernel(
        DepthwiseRowsNCHW(p, weights: parameters.weights), threads: threads, pool: pool)
    }
  }
}
