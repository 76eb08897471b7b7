/// The operator a kernel variant computes. The raw value is the `op` CSV column.
public enum Op: String, CaseIterable, Sendable, Codable, Hashable {
  /// Standard KxK convolution (groups = 1).
  case conv
  /// Depthwise KxK convolution (groups = channels, channel multiplier 1).
  case dw
  /// Pointwise 1x1 convolution (a matrix product).
  case pw
  /// Depthwise-separable block: dw -> BN -> ReLU -> pw -> BN -> ReLU.
  case sepBlock = "sep_block"
  /// Standard block with the same channels, spatial size and stride: conv KxK -> BN -> ReLU.
  case convBlock = "conv_block"
}

/// Memory layout of an activation tensor. The raw value is the `layout` CSV column.
public enum Layout: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
  /// Batch, channel, height, width: each channel is a contiguous image.
  case nchw
  /// Batch, height, width, channel: the channels of a pixel are contiguous.
  case nhwc

  public static func < (a: Layout, b: Layout) -> Bool { a.rawValue < b.rawValue }
}
