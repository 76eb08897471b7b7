import ConvKernels

/// What this target is compiled for, as the shared drivers and `ISAKernels` name it.
enum ISATarget {
  static let isa = ISA.avx512
  static let familySuffix = "-avx512"
  /// NHWC only: the NCHW depthwise kernel runs 8-wide along W whatever the target.
  static let depthwiseLayouts: Set<Layout> = [.nhwc]
  static let tiles = "12x32 + 12x16"
}

/// The vector of channels of the NHWC depthwise kernels (16 floats here).
typealias ChannelVector = SIMD16<Float>

extension SIMD16 where Scalar == Float {
  /// Channels per vector.
  static var lanes: Int { 16 }
}
