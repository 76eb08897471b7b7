/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast generator whose output for a seed is
/// the same on every machine, so random problems and data are reproducible from a seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// A generator starting from `seed`.
  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A float in [-1, 1) on a grid of 1/2^20, built from the top bits only (so it does not
  /// depend on the platform's `Float.random` implementation).
  public mutating func nextSignedUnitFloat() -> Float {
    Float(Int64(next() >> 43) - (1 << 20)) / Float(1 << 20)
  }
}

extension Tensor {
  /// A tensor of `shape` filled with values in [-1, 1) from `seed`, in NCHW element order then
  /// stored in `layout`, so the same seed gives the same logical tensor in every layout.
  public static func random(shape: TensorShape, layout: Layout, seed: UInt64) -> Tensor {
    var generator = SplitMix64(seed: seed)
    let nchw = (0..<shape.count).map { _ in generator.nextSignedUnitFloat() }
    return Tensor(shape: shape, layout: .nchw, values: nchw).converted(to: layout)
  }
}
