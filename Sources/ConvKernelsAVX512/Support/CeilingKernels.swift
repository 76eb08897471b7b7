import ConvKernels

/// The loops that measure this machine's ceilings at 512 bits: an FMA throughput loop and a
/// STREAM-style triad, compiled with this target's AVX-512 code generation.
public enum CeilingKernels {
  /// Independent accumulators of the FMA loop: latency 4 x 2 FMA pipes needs at least 8.
  public static let fmaAccumulators = 12

  /// Runs `iterations` rounds of 12 independent 16-wide FMAs (`fmaAccumulators * 32` flops
  /// per round) and returns a value derived from every accumulator, so nothing is optimised
  /// away. `a` and `b` come from the caller so the compiler cannot fold the chain.
  @inline(never)
  public static func fmaChains(iterations: Int, a: Float, b: Float) -> Float {
    let va = SIMD16<Float>(repeating: a)
    let vb = SIMD16<Float>(repeating: b)
    var acc = (
      SIMD16<Float>.zero, SIMD16<Float>.zero, SIMD16<Float>.zero, SIMD16<Float>.zero,
      SIMD16<Float>.zero, SIMD16<Float>.zero, SIMD16<Float>.zero, SIMD16<Float>.zero,
      SIMD16<Float>.zero, SIMD16<Float>.zero, SIMD16<Float>.zero, SIMD16<Float>.zero
    )
    for _ in 0..<iterations {
      acc.0.addProduct(va, vb)
      acc.1.addProduct(va, vb)
      acc.2.addProduct(va, vb)
      acc.3.addProduct(va, vb)
      acc.4.addProduct(va, vb)
      acc.5.addProduct(va, vb)
      acc.6.addProduct(va, vb)
      acc.7.addProduct(va, vb)
      acc.8.addProduct(va, vb)
      acc.9.addProduct(va, vb)
      acc.10.addProduct(va, vb)
      acc.11.addProduct(va, vb)
    }
    let sum =
      ((acc.0 + acc.1) + (acc.2 + acc.3)) + ((acc.4 + acc.5) + (acc.6 + acc.7))
      + ((acc.8 + acc.9) + (acc.10 + acc.11))
    return sum.sum()
  }

  /// STREAM triad over `count` floats, 16 at a time: `a[i] = b[i] + scalar * c[i]`.
  @inline(never)
  public static func triad(
    _ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
    count: Int, scalar: Float
  ) {
    let vs = SIMD16<Float>(repeating: scalar)
    var i = 0
    while i + 16 <= count {
      var vb = SIMD16<Float>.load(b + i)
      vb.addProduct(vs, SIMD16<Float>.load(c + i))
      vb.store(to: a + i)
      i += 16
    }
    while i < count {
      a[i] = b[i] + scalar * c[i]
      i += 1
    }
  }
}
