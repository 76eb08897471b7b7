import ConvKernels

/// The convolution of the AVX-512 `conv_block` families: im2col + the 16-wide GEMM in both
/// layouts (this target has no direct convolution), optionally with a bias + ReLU epilogue.
package enum BlockConvEngine {
  package static func prepare(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights: [Float],
    bias: [Float]?, relu: Bool
  ) -> any PreparedKernel {
    ConvIm2colGEMMKernel(
      problem, layout: layout, threads: threads, pool: pool, weights: weights, bias: bias,
      relu: relu)
  }
}
