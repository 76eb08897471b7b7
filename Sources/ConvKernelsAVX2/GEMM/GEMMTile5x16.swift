import ConvKernels

/// The 5x16 register tile: C rows 0..<5, columns 0..<16, the companion of `GEMMTile6x16` for
/// pixel counts that 6 does not divide.
///
/// Registers (AVX2): 10 accumulators `c{row}{half}`, two B vectors and one A broadcast: 13 ymm.
/// Each k step is 10 `vfmadd231ps ymm` for 2 loads of B and 5 broadcasts of A, so it costs 5/6
/// of a 6x16 step, still FMA-bound and with 10 independent chains (>= 2 ports x 4 cycles).
/// Why: 7x7 = 49 pixels as nine 6-row tiles wastes 5 of 54 rows (10 %); as 4 x 6 + 5 x 5 it
/// wastes none. Any count >= 20 is a sum of 6s and 5s (`GEMM.rowTilePlan`).
struct GEMMTile5x16 {
  var c00: SIMD8<Float>
  var c01: SIMD8<Float>
  var c10: SIMD8<Float>
  var c11: SIMD8<Float>
  var c20: SIMD8<Float>
  var c21: SIMD8<Float>
  var c30: SIMD8<Float>
  var c31: SIMD8<Float>
  var c40: SIMD8<Float>
  var c41: SIMD8<Float>

  /// Every row set to the 16 values `lo ++ hi` (zeros, or a per-column bias).
  @inline(__always)
  init(lo: SIMD8<Float>, hi: SIMD8<Float>) {
    c00 = lo
    c01 = hi
    c10 = lo
    c11 = hi
    c20 = lo
    c21 = hi
    c30 = lo
    c31 = hi
    c40 = lo
    c41 = hi
  }

  /// Loads the full tile from `c` (row stride `ldc`).
  @inline(__always)
  init(loading c: UnsafePointer<Float>, ldc: Int) {
    c00 = .load(c + 0 * ldc)
    c01 = .load(c + 0 * ldc + 8)
    c10 = .load(c + 1 * ldc)
    c11 = .load(c + 1 * ldc + 8)
    c20 = .load(c + 2 * ldc)
    c21 = .load(c + 2 * ldc + 8)
    c30 = .load(c + 3 * ldc)
    c31 = .load(c + 3 * ldc + 8)
    c40 = .load(c + 4 * ldc)
    c41 = .load(c + 4 * ldc + 8)
  }

  /// Loads rows 0..<5 and columns 0..<columns (1...16) of `c`; the rest is zero. Never reads
  /// outside those elements.
  @inline(__always)
  init(loading c: UnsafePointer<Float>, ldc: Int, columns: Int) {
    self.init(rowsOf: GEMMTile6x16(loading: c, ldc: ldc, rows: 5, columns: columns))
  }

  /// Rows 0..<5 of a 6x16 tile (e.g. `GEMMEpilogue.initialTile`).
  @inline(__always)
  init(rowsOf t: GEMMTile6x16) {
    (c00, c01) = t.row(0)
    (c10, c11) = t.row(1)
    (c20, c21) = t.row(2)
    (c30, c31) = t.row(3)
    (c40, c41) = t.row(4)
  }

  /// `kc` steps of `C[i][j] += a_i[k] * b[k * bStride + j]` (bStride 16 for a packed panel).
  @inline(__always)
  mutating func accumulate(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, kc: Int, _ b: UnsafePointer<Float>,
    bStride: Int = GEMM.nr
  ) {
    var vacc00 = c00
    var vacc01 = c01
    var vacc10 = c10
    var vacc11 = c11
    var vacc20 = c20
    var vacc21 = c21
    var vacc30 = c30
    var vacc31 = c31
    var vacc40 = c40
    var vacc41 = c41
    var bp = b
    for k in 0..<kc {
      let vb0 = SIMD8<Float>.load(bp)
      let vb1 = SIMD8<Float>.load(bp + 8)
      let va0 = SIMD8<Float>(repeating: a0[k])
      vacc00.addProduct(va0, vb0)
      vacc01.addProduct(va0, vb1)
      let va1 = SIMD8<Float>(repeating: a1[k])
      vacc10.addProduct(va1, vb0)
      vacc11.addProduct(va1, vb1)
      let va2 = SIMD8<Float>(repeating: a2[k])
      vacc20.addProduct(va2, vb0)
      vacc21.addProduct(va2, vb1)
      let va3 = SIMD8<Float>(repeating: a3[k])
      vacc30.addProduct(va3, vb0)
      vacc31.addProduct(va3, vb1)
      let va4 = SIMD8<Float>(repeating: a4[k])
      vacc40.addProduct(va4, vb0)
      vacc41.addProduct(va4, vb1)
      bp += bStride
    }
    c00 = vacc00
    c01 = vacc01
    c10 = vacc10
    c11 = vacc11
    c20 = vacc20
    c21 = vacc21
    c30 = vacc30
    c31 = vacc31
    c40 = vacc40
    c41 = vacc41
  }

  /// `max(0, C)` elementwise.
  @inline(__always)
  mutating func applyReLU() {
    c00 = c00.replacing(with: 0, where: c00 .< 0)
    c01 = c01.replacing(with: 0, where: c01 .< 0)
    c10 = c10.replacing(with: 0, where: c10 .< 0)
    c11 = c11.replacing(with: 0, where: c11 .< 0)
    c20 = c20.replacing(with: 0, where: c20 .< 0)
    c21 = c21.replacing(with: 0, where: c21 .< 0)
    c30 = c30.replacing(with: 0, where: c30 .< 0)
    c31 = c31.replacing(with: 0, where: c31 .< 0)
    c40 = c40.replacing(with: 0, where: c40 .< 0)
    c41 = c41.replacing(with: 0, where: c41 .< 0)
  }

  /// Stores the full tile to `c` (row stride `ldc`).
  @inline(__always)
  func store(to c: UnsafeMutablePointer<Float>, ldc: Int) {
    c00.store(to: c + 0 * ldc)
    c01.store(to: c + 0 * ldc + 8)
    c10.store(to: c + 1 * ldc)
    c11.store(to: c + 1 * ldc + 8)
    c20.store(to: c + 2 * ldc)
    c21.store(to: c + 2 * ldc + 8)
    c30.store(to: c + 3 * ldc)
    c31.store(to: c + 3 * ldc + 8)
    c40.store(to: c + 4 * ldc)
    c41.store(to: c + 4 * ldc + 8)
  }

  /// Stores rows 0..<5, columns 0..<columns (1...16) to `c`; writes nothing else.
  @inline(__always)
  func store(to c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int) {
    var t = GEMMTile6x16(lo: c40, hi: c41)
    t.setRow(0, (c00, c01))
    t.setRow(1, (c10, c11))
    t.setRow(2, (c20, c21))
    t.setRow(3, (c30, c31))
    t.store(to: c, ldc: ldc, rows: 5, columns: columns)
  }
}
