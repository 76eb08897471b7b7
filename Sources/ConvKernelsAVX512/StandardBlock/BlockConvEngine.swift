import ConvKernels

/// The convolution of the AVX-512 `conv_block` families: per-tap GEMMs over a padded input in
/// NHWC (`ConvPaddedDirectKernel`), im2col + the 16-wide GEMM in NCHW, optionally with a
/// bias + ReLU epilogue.
package enum BlockConvEngine {
  package static func prepare(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float],
    bias: [Float]?, relu: Bool
  ) -> any PreparedKernel {
    switch layout {
    case .nhwc:
      ConvPaddedDirectKernel(
        problem, threads: threads, pool: pool, weights: weights, bias: bias, relu: relu)
    case .nchw:
      ConvIm2colGEMMKernel(
        problem, layout: layout, threads: threads, pool: pool, weights: weights, bias: bias,
        relu: relu)
    }
  }

  /// The stem that reads an NCHW image and writes NHWC: the padded direct convolution whose
  /// copy gathers the planes. `.direct` is the only algorithm this target builds.
  package static func preparePlanarInput(
    _ problem: ConvProblem, algorithm: PlanarStemAlgorithm, threads: Int, pool: WorkerPool,
    weights: [Float], bias: [Float]?, relu: Bool
  ) -> any PreparedKernel {
    precondition(algorithm == .direct, "the AVX-512 target builds no \(algorithm) planar stem")
    return ConvPaddedDirectKernel(
      problem, threads: threads, pool: pool, weights: weights, bias: bias, relu: relu,
      planarInput: true)
  }
}
