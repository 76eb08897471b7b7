import ConvKernels

/// The two-row tile of `GEMM.multiply`: C rows 0..<2, columns 0..<32 (two 16-column panels),
/// for a call whose rows leave 2 after the 3-row tiles.
///
/// Why: the fused separable block calls the GEMM per tile of output rows, and some tiles leave
/// two rows: 56 pixels (four rows of a 14x14 image, 1 thread), 98 (seven rows of 14), 224 (four
/// rows of 56). A 3-row tile on the last two rows runs the FMAs of three.
///
/// Registers (AVX2): 8 accumulators, two A broadcasts and one B vector. A k step is 8
/// `vfmadd231ps ymm` for 6 loads (2 broadcasts, 4 vectors of B): two thirds of the FMAs of the
/// 3x32 step it replaces, with just enough independent accumulators to cover the FMA latency.
///
/// Every element sums the same products in the same order as in the other tiles, so results
/// are bitwise equal whichever tile computed them.
struct GEMMTile2x32 {
  var c00: SIMD8<Float>
  var c01: SIMD8<Float>
  var c02: SIMD8<Float>
  var c03: SIMD8<Float>
  var c10: SIMD8<Float>
  var c11: SIMD8<Float>
  var c12: SIMD8<Float>
  var c13: SIMD8<Float>

  /// Both rows set to the 32 values `v0 ++ v1 ++ v2 ++ v3`.
  @inline(__always)
  init(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>) {
    (c00, c01, c02, c03) = (v0, v1, v2, v3)
    (c10, c11, c12, c13) = (v0, v1, v2, v3)
  }

  /// Row i set to `r_i` in all 32 columns (a per-row bias).
  @inline(__always)
  init(rowBias r0: Float, _ r1: Float) {
    let v0 = SIMD8<Float>(repeating: r0)
    let v1 = SIMD8<Float>(repeating: r1)
    (c00, c01, c02, c03) = (v0, v0, v0, v0)
    (c10, c11, c12, c13) = (v1, v1, v1, v1)
  }

  /// Loads both rows of `c` (row stride `ldc`), 32 columns each.
  @inline(__always)
  init(loading c: UnsafePointer<Float>, ldc: Int) {
    (c00, c01, c02, c03) = (.load(c), .load(c + 8), .load(c + 16), .load(c + 24))
    let d = c + ldc
    (c10, c11, c12, c13) = (.load(d), .load(d + 8), .load(d + 16), .load(d + 24))
  }

  /// `kc` steps of the rank-1 update: `C[i][j] += a_i[k] * B[k][j]` for k in 0..<kc, where
  /// columns 0..<16 are the panel at `b` and columns 16..<32 the one at `b + panelStride`
  /// (each read as 16 floats every `bStride`).
  @inline(__always)
  mutating func accumulate(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, kc: Int, _ b: UnsafePointer<Float>,
    panelStride: Int, bStride: Int
  ) {
    var acc00 = c00
    var acc01 = c01
    var acc02 = c02
    var acc03 = c03
    var acc10 = c10
    var acc11 = c11
    var acc12 = c12
    var acc13 = c13
    var bp = b
    for k in 0..<kc {
      let va0 = SIMD8<Float>(repeating: a0[k])
      let va1 = SIMD8<Float>(repeating: a1[k])
      var vb = SIMD8<Float>.load(bp)
      acc00.addProduct(va0, vb)
      acc10.addProduct(va1, vb)
      vb = .load(bp + 8)
      acc01.addProduct(va0, vb)
      acc11.addProduct(va1, vb)
      vb = .load(bp + panelStride)
      acc02.addProduct(va0, vb)
      acc12.addProduct(va1, vb)
      vb = .load(bp + panelStride + 8)
      acc03.addProduct(va0, vb)
      acc13.addProduct(va1, vb)
      bp += bStride
    }
    (c00, c01, c02, c03) = (acc00, acc01, acc02, acc03)
    (c10, c11, c12, c13) = (acc10, acc11, acc12, acc13)
  }

  /// `max(0, C)` elementwise.
  @inline(__always)
  mutating func applyReLU() {
    c00 = c00.replacing(with: 0, where: c00 .< 0)
    c01 = c01.replacing(with: 0, where: c01 .< 0)
    c02 = c02.replacing(with: 0, where: c02 .< 0)
    c03 = c03.replacing(with: 0, where: c03 .< 0)
    c10 = c10.replacing(with: 0, where: c10 .< 0)
    c11 = c11.replacing(with: 0, where: c11 .< 0)
    c12 = c12.replacing(with: 0, where: c12 .< 0)
    c13 = c13.replacing(with: 0, where: c13 .< 0)
  }

  /// Stores both rows to `c` (row stride `ldc`), 32 columns each; writes nothing else.
  @inline(__always)
  func store(to c: UnsafeMutablePointer<Float>, ldc: Int) {
    c00.store(to: c)
    c01.store(to: c + 8)
    c02.store(to: c + 16)
    c03.store(to: c + 24)
    let d = c + ldc
    c10.store(to: d)
    c11.store(to: d + 8)
    c12.store(to: d + 16)
    c13.store(to: d + 24)
  }
}
