import ConvKernels

/// The 3x32 register tile of `GEMM.multiply`: C rows 0..<3, columns 0..<32, across two
/// adjacent 16-column B panels.
///
/// Registers (AVX2, 16 ymm): 12 accumulators `c{row}{vector}`, three A broadcasts and one B
/// vector, loaded four times per k step. Each k step is 12 `vfmadd231ps ymm` for 7 loads
/// (3 broadcasts of A, 4 vectors of B), against 8 loads (6 + 2) for the same 12 FMAs in the
/// 6x16 tile. On the shared 2-vCPU Zen 3 guests of the results, loops whose loads outnumber
/// half their FMAs fall below the FMA rate whenever the host core is busy, so the load count,
/// not the FMA count, sets the step time. The price is twice the B bytes per FMA (a 32-column
/// pair per 3 rows), which the L2 supplies.
///
/// The tile always covers two whole panels (the driver gives the rest of the columns to the
/// 6x16 tile), so only rows have tails: a missing row aliases the last real row and is never
/// stored. Every element sums the same products in the same order as in the 6x16 tile, so
/// results are bitwise equal whichever tile computed them.
struct GEMMTile3x32 {
  var c00: SIMD8<Float>
  var c01: SIMD8<Float>
  var c02: SIMD8<Float>
  var c03: SIMD8<Float>
  var c10: SIMD8<Float>
  var c11: SIMD8<Float>
  var c12: SIMD8<Float>
  var c13: SIMD8<Float>
  var c20: SIMD8<Float>
  var c21: SIMD8<Float>
  var c22: SIMD8<Float>
  var c23: SIMD8<Float>

  /// Every row set to the 32 values `v0 ++ v1 ++ v2 ++ v3`.
  @inline(__always)
  init(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>) {
    c00 = v0
    c01 = v1
    c02 = v2
    c03 = v3
    c10 = v0
    c11 = v1
    c12 = v2
    c13 = v3
    c20 = v0
    c21 = v1
    c22 = v2
    c23 = v3
  }

  /// Row i set to `r_i` in all 32 columns (a per-row bias).
  @inline(__always)
  init(rowBias r0: Float, _ r1: Float, _ r2: Float) {
    c00 = SIMD8(repeating: r0)
    c01 = c00
    c02 = c00
    c03 = c00
    c10 = SIMD8(repeating: r1)
    c11 = c10
    c12 = c10
    c13 = c10
    c20 = SIMD8(repeating: r2)
    c21 = c20
    c22 = c20
    c23 = c20
  }

  /// Loads the three rows of `c` (row stride `ldc`), 32 columns each.
  @inline(__always)
  init(loading c: UnsafePointer<Float>, ldc: Int) {
    (c00, c01, c02, c03) = (.load(c), .load(c + 8), .load(c + 16), .load(c + 24))
    let d = c + ldc
    (c10, c11, c12, c13) = (.load(d), .load(d + 8), .load(d + 16), .load(d + 24))
    let e = c + 2 * ldc
    (c20, c21, c22, c23) = (.load(e), .load(e + 8), .load(e + 16), .load(e + 24))
  }

  /// `kc` steps of the rank-1 update: `C[i][j] += a_i[depth.offset(k)] * B[k][j]` for k in
  /// 0..<kc, where columns 0..<16 are the panel at `b` and columns 16..<32 the one at
  /// `b + panelStride` (each read as 16 floats every `bStride`).
  @inline(__always)
  mutating func accumulate<Depth: GEMMDepthIndex>(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    depth: Depth = ContiguousDepth(), kc: Int, _ b: UnsafePointer<Float>, panelStride: Int,
    bStride: Int
  ) {
    var acc00 = c00
    var acc01 = c01
    var acc02 = c02
    var acc03 = c03
    var acc10 = c10
    var acc11 = c11
    var acc12 = c12
    var acc13 = c13
    var acc20 = c20
    var acc21 = c21
    var acc22 = c22
    var acc23 = c23
    var bp = b
    for k in 0..<kc {
      let offset = depth.offset(k)
      let va0 = SIMD8<Float>(repeating: a0[offset])
      let va1 = SIMD8<Float>(repeating: a1[offset])
      let va2 = SIMD8<Float>(repeating: a2[offset])
      var vb = SIMD8<Float>.load(bp)
      acc00.addProduct(va0, vb)
      acc10.addProduct(va1, vb)
      acc20.addProduct(va2, vb)
      vb = .load(bp + 8)
      acc01.addProduct(va0, vb)
      acc11.addProduct(va1, vb)
      acc21.addProduct(va2, vb)
      vb = .load(bp + panelStride)
      acc02.addProduct(va0, vb)
      acc12.addProduct(va1, vb)
      acc22.addProduct(va2, vb)
      vb = .load(bp + panelStride + 8)
      acc03.addProduct(va0, vb)
      acc13.addProduct(va1, vb)
      acc23.addProduct(va2, vb)
      bp += bStride
    }
    c00 = acc00
    c01 = acc01
    c02 = acc02
    c03 = acc03
    c10 = acc10
    c11 = acc11
    c12 = acc12
    c13 = acc13
    c20 = acc20
    c21 = acc21
    c22 = acc22
    c23 = acc23
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
    c20 = c20.replacing(with: 0, where: c20 .< 0)
    c21 = c21.replacing(with: 0, where: c21 .< 0)
    c22 = c22.replacing(with: 0, where: c22 .< 0)
    c23 = c23.replacing(with: 0, where: c23 .< 0)
  }

  /// Stores rows 0..<rows (1...3) to `c` (row stride `ldc`), 32 columns each; writes nothing
  /// else.
  @inline(__always)
  func store(to c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int) {
    c00.store(to: c)
    c01.store(to: c + 8)
    c02.store(to: c + 16)
    c03.store(to: c + 24)
    if rows > 1 {
      c10.store(to: c + ldc)
      c11.store(to: c + ldc + 8)
      c12.store(to: c + ldc + 16)
      c13.store(to: c + ldc + 24)
    }
    if rows > 2 {
      c20.store(to: c + 2 * ldc)
      c21.store(to: c + 2 * ldc + 8)
      c22.store(to: c + 2 * ldc + 16)
      c23.store(to: c + 2 * ldc + 24)
    }
  }
}
