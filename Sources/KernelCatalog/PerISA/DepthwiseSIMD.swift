import ConvKernels

/// Depthwise convolution on explicit FMAs, any K, stride and padding, on the vectors of
/// `Kernels`' target: `simd8` (AVX2, NHWC and NCHW) and `simd16` (AVX-512, NHWC).
///
/// NHWC (`DepthwiseRowsNHWC`): blocks of 8 output pixels x one vector of channels (3x3
/// stride 1 and 2: a sliding window that loads each input vector once per kernel row).
/// NCHW (`DepthwiseRowsNCHW`): 8 vectors along W from a padded strip. Threads own disjoint
/// (rows x channels) output blocks.
struct DepthwiseSIMD<Kernels: ISAKernelSet>: KernelVariant {
  static var op: Op { .dw }
  static var family: String { Kernels.depthwiseFamily }
  static var layouts: Set<Layout> { Kernels.depthwiseLayouts }
  static var isThreaded: Bool { true }  // threads own disjoint (rows x channels) output blocks
  static var isa: ISA { Kernels.isa }
  static var summary: String {
    "any-K dw, explicit FMAs: NHWC 8 px x \(Kernels.depthwiseFamily.dropFirst(4)) ch blocks (3x3 s1/s2: sliding window)"
      + (layouts.contains(.nchw) ? ", NCHW 8 vectors along W from a padded strip" : "")
  }
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    Kernels.depthwise(
      problem, layout: layout, threads: threads, pool: pool, weights: parameters.weights)
  }
}
