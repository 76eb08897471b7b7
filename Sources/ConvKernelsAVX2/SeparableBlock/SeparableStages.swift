import ConvKernels

/// The depthwise and pointwise stages every fast `sep_block` family of a target is built from:
/// its `dw.simd8` or `dw.simd16` engine (optionally with BN + ReLU in its epilogue) and its
/// `pw.packed-gemm` engine (optionally with BN folded into its weights and bias, ReLU in its epilogue). They
/// are the fastest dw and pw families measured here, so the block families differ only in how
/// the stages meet memory.
package enum SeparableStages {
  /// The threaded depthwise kernel for `problem`'s depthwise part; with `norm`, each output is
  /// `max(0, scale[c] * acc + shift[c])`.
  package static func depthwise(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float],
    norm: BatchNorm?
  ) -> any PreparedKernel {
    let part = problem.depthwisePart
    let (scale, shift) = norm.map { $0.scaleAndShift } ?? ([], [])
    let epilogue = norm != nil
    switch layout {
    case .nhwc:
      return DepthwiseSIMD8NHWCKernel(
        DepthwiseRowsNHWC(
          part, weights: weights, scale: epilogue ? scale : nil, shift: epilogue ? shift : nil,
          relu: epilogue),
        threads: threads, pool: pool)
    case .nchw:
      return DepthwiseSIMD8NCHWKernel(
        DepthwiseRowsNCHW(
          part, weights: weights, scale: epilogue ? scale : nil, shift: epilogue ? shift : nil,
          relu: epilogue),
        threads: threads, pool: pool)
    }
  }

  /// The threaded pointwise kernel for `problem`'s pointwise part; with `norm`, BN is folded
  /// into the weights and a bias, and ReLU applied in the GEMM epilogue.
  package static func pointwise(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float],
    norm: BatchNorm?
  ) -> any PreparedKernel {
    let folded = norm.map { $0.folded(into: weights) }
    return PointwiseGEMMKernel(
      problem.pointwisePart, layout: layout, threads: threads, pool: pool,
      weights: folded?.weights ?? weights, bias: folded?.bias, relu: norm != nil)
  }

  /// The note of a family that keeps the full depthwise output between its passes.
  package static func intermediateNote(_ problem: ConvProblem) -> String {
    "intermediate \(ByteCount(4 * problem.depthwisePart.outputCount))"
  }
}
