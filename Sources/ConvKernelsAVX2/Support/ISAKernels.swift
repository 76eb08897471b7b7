import ConvKernels

/// This target's kernels, for the catalog's families that are generic over the ISA. The file
/// is shared by every ISA target (each compiles it against its own `GEMM` and
/// `ChannelVector`), so the families run the same drivers on each target's registers.
public enum ISAKernels: ISAKernelSet {
  public static func depthwise(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float]
  ) -> any PreparedKernel {
    let part = problem.part(for: .dw)
    switch layout {
    case .nhwc:
      return DepthwiseSIMD8NHWCKernel(
        DepthwiseRowsNHWC(part, weights: weights), threads: threads, pool: pool)
    case .nchw:
      return DepthwiseSIMD8NCHWKernel(
        DepthwiseRowsNCHW(part, weights: weights), threads: threads, pool: pool)
    }
  }

  public static func pointwise(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float]
  ) -> any PreparedKernel {
    PointwiseGEMMKernel(
      problem.part(for: .pw), layout: layout, threads: threads, pool: pool, weights: weights,
      bias: nil, relu: false)
  }

  public static func im2colConv(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float],
    bias: [Float]?, relu: Bool
  ) -> any PreparedKernel {
    ConvIm2colGEMMKernel(
      problem, layout: layout, threads: threads, pool: pool, weights: weights, bias: bias,
      relu: relu)
  }

  public static func im2colNote(_ problem: ConvProblem, layout: Layout, threads: Int) -> String? {
    ConvIm2colGEMMKernel.note(problem, layout: layout, threads: threads)
  }

  public static func blockConv(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float],
    bias: [Float], relu: Bool
  ) -> any PreparedKernel {
    BlockConvEngine.prepare(
      problem, layout: layout, threads: threads, pool: pool, weights: weights, bias: bias,
      relu: relu)
  }

  public static func planarInputConv(
    _ problem: ConvProblem, algorithm: PlanarStemAlgorithm, threads: Int, pool: WorkerPool,
    weights: [Float], bias: [Float]?, relu: Bool
  ) -> any PreparedKernel {
    BlockConvEngine.preparePlanarInput(
      problem, algorithm: algorithm, threads: threads, pool: pool, weights: weights, bias: bias,
      relu: relu)
  }

  public static func separableChain(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool,
    parameters: OpParameters
  ) -> any PreparedKernel {
    SeparableChainKernel(
      intermediateCount: problem.depthwisePart.outputCount,
      depthwise: SeparableStages.depthwise(
        problem, layout: layout, threads: threads, pool: pool, weights: parameters.weights,
        norm: parameters.norm),
      depthwisePass: nil,
      pointwise: SeparableStages.pointwise(
        problem, layout: layout, threads: threads, pool: pool,
        weights: parameters.pointwiseWeights!, norm: parameters.pointwiseNorm),
      pointwisePass: nil)
  }

  public static func separableFused(
    _ problem: ConvProblem, threads: Int, pool: WorkerPool, parameters: OpParameters,
    tileBytes: Int
  ) -> any PreparedKernel {
    let norm = parameters.norm!.scaleAndShift
    let pointwise = parameters.pointwiseNorm!.folded(into: parameters.pointwiseWeights!)
    return FusedSeparableNHWCKernel(
      plan: FusedTilePlan(problem, threads: threads, tileBytes: tileBytes),
      depthwise: DepthwiseRowsNHWC(
        problem.depthwisePart, weights: parameters.weights, scale: norm.scale, shift: norm.shift,
        relu: true),
      pointwise: GEMMPackedWeights(
        transposing: pointwise.weights, depth: problem.inChannels, columns: problem.outChannels,
        bias: pointwise.bias),
      pool: pool)
  }

  public static func winogradConv(
    _ problem: ConvProblem, transform: WinogradTransform, threads: Int, pool: WorkerPool,
    weights: [Float], bias: [Float]?, relu: Bool
  ) -> any PreparedKernel {
    transform.m == 4
      ? WinogradConvKernel<WinogradF4x4>(
        problem, threads: threads, pool: pool, weights: weights, bias: bias, relu: relu)
      : WinogradConvKernel<WinogradF2x2>(
        problem, threads: threads, pool: pool, weights: weights, bias: bias, relu: relu)
  }

  public static func winogradNote(
    _ problem: ConvProblem, transform: WinogradTransform, threads: Int
  ) -> String {
    transform.m == 4
      ? WinogradConvKernel<WinogradF4x4>.note(problem, threads: threads)
      : WinogradConvKernel<WinogradF2x2>.note(problem, threads: threads)
  }
}
