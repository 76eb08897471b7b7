import ConvKernels

/// Depthwise convolution on explicit FMAs, any K, stride and padding, on the vectors of
/// `Target`: `simd8` (AVX2, NHWC and NCHW) and `simd16` (AVX-512, NHWC).
///
/// NHWC (`DepthwiseRowsNHWC`): blocks of 8 output pixels x one vector of channels (3x3
/// stride 1 and 2: a sliding window that loads each input vector once per kernel row; where a
/// pixel's channels span a multiple of 512 bytes, 4 pixels x two vectors, so that pixels that
/// share L1 sets need fewer lines of them at once).
/// NCHW (`DepthwiseRowsNCHW`): 8 vectors along W from a padded strip. Threads own disjoint
/// (rows x channels) output blocks.
struct DepthwiseSIMD<Target: ISATarget>: KernelVariant {
  static var op: Op { .dw }
  static var family: String { "simd\(Target.depthwiseLanes)" }
  static var layouts: Set<Layout> { Target.depthwiseLayouts }
  static var isThreaded: Bool { true }  // threads own disjoint (rows x channels) output blocks
  static var isa: ISA { Target.isa }
  static var summary: String {
    "any-K dw, explicit FMAs: NHWC 8 px x \(Target.depthwiseLanes) ch blocks (3x3 s1/s2: sliding window"
      + "; 4 px x 2 vectors where pixels alias in L1)"
      + (layouts.contains(.nchw) ? ", NCHW 8 vectors along W from a padded strip" : "")
  }
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    Target.Kernels.depthwise(
      problem, layout: layout, threads: threads, pool: pool, weights: parameters.weights)
  }
}
