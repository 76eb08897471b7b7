import ConvKernels

/// The vector of channels of the NHWC depthwise kernels (8 floats in this target).
typealias ChannelVector = SIMD8<Float>

extension SIMD8 where Scalar == Float {
  /// Channels per vector.
  static var lanes: Int { 8 }
}
