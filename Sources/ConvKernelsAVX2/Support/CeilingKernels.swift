import ConvKernels

/// The loops that measure this machine's ceilings: an FMA throughput loop and a STREAM-style
/// triad. They live here, with the kernels, because they need the same AVX2+FMA code
/// generation (without it `addProduct` on SIMD8 is a call to `fmaf`).
public enum CeilingKernels {
  /// Independent accumulators of the FMA loop: latency 4 x 2 FMA pipes needs at least 8.
  public static let fmaAccumulators = 12

  /// Runs `iterations` rounds of 12 independent 8-wide FMAs (`fmaAccumulators * 16` flops per
  /// round) and returns a value derived from every accumulator, so nothing is optimised away.
  /// `a` and `b` come from the caller so the compiler cannot fold the chain.
  @inline(never)
  public static func fmaChains(iterations: Int, a: Float, b: Float) -> Float {
    let va = SIMD8<Float>(repeating: a)
    let vb = SIMD8<Float>(repeating: b)
    var acc0 = SIMD8<Float>(repeating: 0)
    var acc1 = acc0
    var acc2 = acc0
    var acc3 = acc0
    var acc4 = acc0
    var acc5 = acc0
    var acc6 = acc0
    var acc7 = acc0
    var acc8 = acc0
    var acc9 = acc0
    var acc10 = acc0
    var acc11 = acc0
    for _ in 0..<iterations {
      acc0.addProduct(va, vb)
      acc1.addProduct(va, vb)
      acc2.addProduct(va, vb)
      acc3.addProduct(va, vb)
      acc4.addProduct(va, vb)
      acc5.addProduct(va, vb)
      acc6.addProduct(va, vb)
      acc7.addProduct(va, vb)
      acc8.addProduct(va, vb)
      acc9.addProduct(va, vb)
      acc10.addProduct(va, vb)
      acc11.addProduct(va, vb)
    }
    let sum =
      ((acc0 + acc1) + (acc2 + acc3)) + ((acc4 + acc5) + (acc6 + acc7))
      + ((acc8 + acc9) + (acc10 + acc11))
    return sum.sum()
  }

  /// STREAM triad over `count` floats: `a[i] = b[i] + scalar * c[i]` (12 bytes per element
  /// by STREAM's count: two loads and a store).
  @inline(never)
  public static func triad(
    _ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
    count: Int, scalar: Float
  ) {
    let vs = SIMD8<Float>(repeating: scalar)
    var i = 0
    while i + 8 <= count {
      var vb = SIMD8<Float>.load(b + i)
      vb.addProduct(vs, SIMD8<Float>.load(c + i))
      vb.store(to: a + i)
      i += 8
    }
    while i < count {
      a[i] = b[i] + scalar * c[i]
      i += 1
    }
  }
}
