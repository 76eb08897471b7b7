import ConvKernels

/// The convolution every fast `conv_block` family runs: the fastest fast `conv` family for the
/// layout (measured on conv 3x3 128->128 56x56: `direct-simd` in NHWC, `im2col-gemm` in NCHW,
/// which has no direct version), optionally with a bias + ReLU epilogue.
package enum BlockConvEngine {
  package static func prepare(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float],
    bias: [Float]?, relu: Bool
  ) -> any PreparedKernel {
    switch layout {
    case .nhwc:
      ConvDirectKernel(
        problem, threads: threads, pool: pool, weights: weights, bias: bias, relu: relu)
    case .nchw:
      ConvIm2colGEMMKernel(
        problem, layout: layout, threads: threads, pool: pool, weights: weights, bias: bias,
        relu: relu)
    }
  }

  /// The stem that reads an NCHW image and writes NHWC: the GEMM's tiles reading the planes in
  /// place (`.direct`), or im2col rows gathered from the planes, then the GEMM (`.im2col`).
  package static func preparePlanarInput(
    _ problem: ConvProblem, algorithm: PlanarStemAlgorithm, threads: Int, pool: WorkerPool,
    weights: [Float], bias: [Float]?, relu: Bool
  ) -> any PreparedKernel {
    switch algorithm {
    case .direct:
      ConvPlanarDirectKernel(
        problem, threads: threads, pool: pool, weights: weights, bias: bias, relu: relu)
    case .im2col:
      ConvPlanarInputKernel(
        problem, threads: threads, pool: pool, weights: weights, bias: bias, relu: relu)
    }
  }
}
