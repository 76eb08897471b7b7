import ConvKernels

/// What a depthwise kernel does to an accumulator before storing it: nothing (the `dw`
/// operator), or a per-channel `scale * x + shift` (BN folded, one FMA) and optionally ReLU,
/// for fused depthwise + pointwise blocks. Branches are per stored vector, never per tap.
struct DepthwiseEpilogue {
  /// Per-channel scale and shift, or nil for none. Valid for every channel a kernel stores,
  /// padded to whole vectors (`ChannelVector.lanes`) where a vector path loads them.
  let scale: UnsafePointer<Float>?
  let shift: UnsafePointer<Float>?
  /// `max(0, x)` after the affine step.
  let relu: Bool

  /// True when `apply` returns its argument unchanged.
  var isIdentity: Bool { scale == nil && !relu }

  /// Channels `c ..< c + ChannelVector.lanes` (NHWC).
  @inline(__always)
  func apply(_ v: ChannelVector, channel c: Int) -> ChannelVector {
    var y = v
    if let scale, let shift {
      y = ChannelVector.load(shift + c)
      y.addProduct(v, ChannelVector.load(scale + c))
    }
    if relu { y.replace(with: ChannelVector(), where: y .< ChannelVector()) }
    return y
  }

  /// One channel (scalar tails, and NCHW where a vector holds one channel).
  @inline(__always)
  func apply(_ v: Float, channel c: Int) -> Float {
    var y = v
    if let scale, let shift { y = shift[c].addingProduct(v, scale[c]) }
    if relu && y < 0 { y = 0 }
    return y
  }

  /// Eight pixels of one channel (NCHW).
  @inline(__always)
  func apply(_ v: SIMD8<Float>, broadcastChannel c: Int) -> SIMD8<Float> {
    var y = v
    if let scale, let shift {
      y = SIMD8<Float>(repeating: shift[c])
      y.addProduct(v, SIMD8<Float>(repeating: scale[c]))
    }
    if relu { y.replace(with: SIMD8<Float>(), where: y .< SIMD8<Float>()) }
    return y
  }
}

/// The owned side of a `DepthwiseEpilogue`: scale and shift copied into buffers zero-padded to
/// whole vectors of channels (so vector paths may load whole vectors), and the ReLU flag. Made
/// once, in `prepare`; `epilogue` hands the kernels plain pointers.
final class DepthwiseEpilogueStorage {
  let scale: AlignedBuffer?
  let shift: AlignedBuffer?
  let relu: Bool

  /// - Precondition: `scale` and `shift` are both nil or both hold `channels` values.
  init(channels: Int, scale: [Float]?, shift: [Float]?, relu: Bool) {
    precondition((scale == nil) == (shift == nil), "scale and shift go together")
    func padded(_ values: [Float]?) -> AlignedBuffer? {
      guard let values else { return nil }
      precondition(values.count == channels, "\(values.count) values for C = \(channels)")
      let lanes = ChannelVector.lanes
      let buffer = AlignedBuffer(count: (channels + lanes - 1) / lanes * lanes)
      for (c, value) in values.enumerated() { buffer.pointer[c] = value }
      return buffer
    }
    self.scale = padded(scale)
    self.shift = padded(shift)
    self.relu = relu
  }

  var epilogue: DepthwiseEpilogue {
    DepthwiseEpilogue(
      scale: scale.map { UnsafePointer($0.pointer) },
      shift: shift.map { UnsafePointer($0.pointer) },
      relu: relu)
  }
}
