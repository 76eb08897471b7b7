import ConvKernels

/// What this target is compiled for, as the shared drivers and `ISAKernels` name it.
enum ISATarget {
  static let isa = ISA.avx2
  static let familySuffix = ""
  static let depthwiseLayouts: Set<Layout> = [.nchw, .nhwc]
  static let tiles = "3x32 + 6x16"
}

/// The vector of channels of the NHWC depthwise kernels (8 floats here).
typealias ChannelVector = SIMD8<Float>

extension SIMD8 where Scalar == Float {
  /// Channels per vector.
  static var lanes: Int { 8 }
}
