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

  /// OIHW weights and a bias with BN folded in: `w'[oc] = w[oc] * scale[oc]`,
  /// `bias[oc] = shift[oc]` (`BatchNorm.scaleAndShift`), so `conv(x; w') + bias` equals
  /// `scale * conv(x; w) + shift` up to rounding.
  package static func foldBatchNorm(weights: [Float], norm: BatchNorm) -> (
    weights: [Float], bias: [Float]
  ) {
    let (scale, shift) = norm.scaleAndShift
    let perChannel = weights.count / norm.channels
    var folded = weights
    for oc in 0..<norm.channels {
      for i in (oc * perChannel)..<((oc + 1) * perChannel) { folded[i] = weights[i] * scale[oc] }
    }
    return (folded, shift)
  }
}
