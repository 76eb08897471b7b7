/// The kernels one instruction-set target builds from the shared driver source: pointwise,
/// im2col and Winograd convolution, the separable blocks and the folded standard block on that
/// target's `GEMM`, and the NHWC depthwise on its vector of channels.
///
/// The catalog's per-ISA families are generic over a target (`PointwisePackedGEMM<AVX2Target>`,
/// `…<AVX512Target>`) that reaches its kernel set only from `prepare`. The set's functions are
/// not inlinable: what runs is compiled in the ISA's own target, with its flags, and only after
/// the registry's CPU check. The names and descriptions of the families live in the catalog,
/// compiled without ISA flags: listing families must run no instruction of a target.
public protocol ISAKernelSet: Sendable {
  /// A depthwise convolution of `problem` (its depthwise part), no epilogue.
  static func depthwise(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float]
  ) -> any PreparedKernel

  /// A pointwise convolution of `problem` (its 1x1 part), no bias, no ReLU.
  static func pointwise(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float]
  ) -> any PreparedKernel

  /// A KxK convolution of `problem` as blocked im2col + GEMM, with an optional bias and ReLU.
  static func im2colConv(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float],
    bias: [Float]?, relu: Bool
  ) -> any PreparedKernel

  /// The note of `im2colConv` on `problem` (its workspace).
  static func im2colNote(_ problem: ConvProblem, layout: Layout, threads: Int) -> String?

  /// The convolution of a folded standard block: the target's fastest convolution for
  /// `layout`, bias and ReLU in its epilogue.
  static func blockConv(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float],
    bias: [Float], relu: Bool
  ) -> any PreparedKernel

  /// A KxK convolution that reads an NCHW input and writes an NHWC output, with an optional
  /// bias and ReLU: the stem of an NHWC network that takes its image planar. `algorithm` is
  /// one the target builds (the catalog lists them per target).
  static func planarInputConv(
    _ problem: ConvProblem, algorithm: PlanarStemAlgorithm, threads: Int, pool: WorkerPool,
    weights: [Float], bias: [Float]?, relu: Bool
  ) -> any PreparedKernel

  /// A separable block with BN folded into both stages' epilogues and the full depthwise
  /// output kept between them.
  static func separableChain(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool,
    parameters: OpParameters
  ) -> any PreparedKernel

  /// A fused NHWC separable block: depthwise rows into a tile of about `tileBytes`, consumed
  /// at once by the pointwise GEMM.
  static func separableFused(
    _ problem: ConvProblem, threads: Int, pool: WorkerPool, parameters: OpParameters,
    tileBytes: Int
  ) -> any PreparedKernel

  /// A 3x3 stride-1 convolution of `problem` by the Winograd `transform` (F(2x2,3x3) or
  /// F(4x4,3x3)), NHWC, with an optional bias and ReLU in the output transform.
  static func winogradConv(
    _ problem: ConvProblem, transform: WinogradTransform, threads: Int, pool: WorkerPool,
    weights: [Float], bias: [Float]?, relu: Bool
  ) -> any PreparedKernel

  /// The note of `winogradConv` on `problem`: its tiles and workspace.
  static func winogradNote(_ problem: ConvProblem, transform: WinogradTransform, threads: Int)
    -> String
}
