import ConvKernels

/// The vector of channels of the NHWC depthwise kernels (16 floats in this target).
typealias ChannelVector = SIMD16<Float>

extension SIMD16 where Scalar == Float {
  /// Channels per vector.
  static var lanes: Int { 16 }
}
