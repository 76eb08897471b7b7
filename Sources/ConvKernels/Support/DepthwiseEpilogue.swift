/// What a depthwise kernel does to an accumulator before storing it: nothing (the `dw`
/// operator), or a per-channel `scale * x + shift` (BN folded, one FMA) and optionally ReLU,
/// for fused depthwise + pointwise blocks. Branches are per stored vector, never per tap.
struct DepthwiseEpilogue {
  /// Per-channel scale and shift, or nil for none. Valid for every channel a kernel stores,
  /// padded to a multiple of 8 where a vector path loads them.
  let scale: UnsafePointer<Float>?
  let shift: UnsafePointer<Float>?
  /// `max(0, x)` after the affine step.
  let relu: Bool

  /// True when `apply` returns its argument unchanged.
  var isIdentity: Bool { scale == nil && !relu }

  /// Channels `c ..< c + 8` (NHWC).
  @inline(__always)
  func apply(_ v: SIMD8<Float>, channel c: Int) -> SIMD8<Float> {
    var y = v
    if let scale, let shift {
      y = SIMD8<Float>.load(shift + c)
      y.addProduct(v, SIMD8<Float>.load(scale + c))
    }
    if relu { y.replace(with: SIMD8<Float>(), where: y .< SIMD8<Float>()) }
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
