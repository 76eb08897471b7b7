import ConvKernels

/// The 12x16 register tile of the AVX-512 `GEMM.multiply`: C rows 0..<12, columns 0..<16 of
/// one B panel, for the panel after the last whole pair of a column block (an odd panel, or a
/// partial one with fewer than 16 real columns).
///
/// Registers: 12 accumulators, one B vector and one A broadcast per k step. Partial panels are
/// computed on the zero-padded panel and loaded and stored with a column count, so nothing
/// past `columns` is touched. As in `GEMMTile12x32`, `rows` (1...12) is a constant at every
/// call, rows past it are neither read nor written, and each element sums its products in the
/// same order as the AVX2 tiles.
struct GEMMTile12x16 {
  var c0_0: SIMD16<Float>
  var c1_0: SIMD16<Float>
  var c2_0: SIMD16<Float>
  var c3_0: SIMD16<Float>
  var c4_0: SIMD16<Float>
  var c5_0: SIMD16<Float>
  var c6_0: SIMD16<Float>
  var c7_0: SIMD16<Float>
  var c8_0: SIMD16<Float>
  var c9_0: SIMD16<Float>
  var c10_0: SIMD16<Float>
  var c11_0: SIMD16<Float>

  /// Every row set to the same 16 values `v0` (zeros, or a per-column bias).
  @inline(__always)
  init(_ v0: SIMD16<Float>) {
    c0_0 = v0
    c1_0 = v0
    c2_0 = v0
    c3_0 = v0
    c4_0 = v0
    c5_0 = v0
    c6_0 = v0
    c7_0 = v0
    c8_0 = v0
    c9_0 = v0
    c10_0 = v0
    c11_0 = v0
  }

  /// Row i set to `bias[i]` in every column, for i in 0..<rows (a per-row bias: NCHW
  /// output channels); the other rows are zero.
  @inline(__always)
  init(rowBias bias: UnsafePointer<Float>, rows: Int) {
    c0_0 = rows > 0 ? SIMD16(repeating: bias[0]) : .zero
    c1_0 = rows > 1 ? SIMD16(repeating: bias[1]) : .zero
    c2_0 = rows > 2 ? SIMD16(repeating: bias[2]) : .zero
    c3_0 = rows > 3 ? SIMD16(repeating: bias[3]) : .zero
    c4_0 = rows > 4 ? SIMD16(repeating: bias[4]) : .zero
    c5_0 = rows > 5 ? SIMD16(repeating: bias[5]) : .zero
    c6_0 = rows > 6 ? SIMD16(repeating: bias[6]) : .zero
    c7_0 = rows > 7 ? SIMD16(repeating: bias[7]) : .zero
    c8_0 = rows > 8 ? SIMD16(repeating: bias[8]) : .zero
    c9_0 = rows > 9 ? SIMD16(repeating: bias[9]) : .zero
    c10_0 = rows > 10 ? SIMD16(repeating: bias[10]) : .zero
    c11_0 = rows > 11 ? SIMD16(repeating: bias[11]) : .zero
  }

  /// Loads rows 0..<rows of `c` (row stride `ldc`), `columns` (1...16) columns each; the
  /// other rows and columns are zero and nothing of them is read.
  @inline(__always)
  init(loading c: UnsafePointer<Float>, ldc: Int, rows: Int, columns: Int) {
    c0_0 = rows > 0 ? .load(c + 0 * ldc, count: columns) : .zero
    c1_0 = rows > 1 ? .load(c + 1 * ldc, count: columns) : .zero
    c2_0 = rows > 2 ? .load(c + 2 * ldc, count: columns) : .zero
    c3_0 = rows > 3 ? .load(c + 3 * ldc, count: columns) : .zero
    c4_0 = rows > 4 ? .load(c + 4 * ldc, count: columns) : .zero
    c5_0 = rows > 5 ? .load(c + 5 * ldc, count: columns) : .zero
    c6_0 = rows > 6 ? .load(c + 6 * ldc, count: columns) : .zero
    c7_0 = rows > 7 ? .load(c + 7 * ldc, count: columns) : .zero
    c8_0 = rows > 8 ? .load(c + 8 * ldc, count: columns) : .zero
    c9_0 = rows > 9 ? .load(c + 9 * ldc, count: columns) : .zero
    c10_0 = rows > 10 ? .load(c + 10 * ldc, count: columns) : .zero
    c11_0 = rows > 11 ? .load(c + 11 * ldc, count: columns) : .zero
  }

  /// `kc` steps of the rank-1 update `C[i][j] += A[i][k] * B[k][j]` for rows 0..<rows, where
  /// row i of A starts at `a + i * lda` and B is the panel at `b` (16 floats every `bStride`).
  @inline(__always)
  mutating func accumulate(
    _ a: UnsafePointer<Float>, lda: Int, rows: Int, kc: Int, _ b: UnsafePointer<Float>,
    bStride: Int
  ) {
    var acc0_0 = c0_0
    var acc1_0 = c1_0
    var acc2_0 = c2_0
    var acc3_0 = c3_0
    var acc4_0 = c4_0
    var acc5_0 = c5_0
    var acc6_0 = c6_0
    var acc7_0 = c7_0
    var acc8_0 = c8_0
    var acc9_0 = c9_0
    var acc10_0 = c10_0
    var acc11_0 = c11_0
    var ap = a
    var bp = b
    for _ in 0..<kc {
      let b0 = SIMD16<Float>.load(bp)
      let va0 = SIMD16<Float>(repeating: ap[0])
      acc0_0.addProduct(va0, b0)
      if rows > 1 {
        let va = SIMD16<Float>(repeating: ap[1 * lda])
        acc1_0.addProduct(va, b0)
      }
      if rows > 2 {
        let va = SIMD16<Float>(repeating: ap[2 * lda])
        acc2_0.addProduct(va, b0)
      }
      if rows > 3 {
        let va = SIMD16<Float>(repeating: ap[3 * lda])
        acc3_0.addProduct(va, b0)
      }
      if rows > 4 {
        let va = SIMD16<Float>(repeating: ap[4 * lda])
        acc4_0.addProduct(va, b0)
      }
      if rows > 5 {
        let va = SIMD16<Float>(repeating: ap[5 * lda])
        acc5_0.addProduct(va, b0)
      }
      if rows > 6 {
        let va = SIMD16<Float>(repeating: ap[6 * lda])
        acc6_0.addProduct(va, b0)
      }
      if rows > 7 {
        let va = SIMD16<Float>(repeating: ap[7 * lda])
        acc7_0.addProduct(va, b0)
      }
      if rows > 8 {
        let va = SIMD16<Float>(repeating: ap[8 * lda])
        acc8_0.addProduct(va, b0)
      }
      if rows > 9 {
        let va = SIMD16<Float>(repeating: ap[9 * lda])
        acc9_0.addProduct(va, b0)
      }
      if rows > 10 {
        let va = SIMD16<Float>(repeating: ap[10 * lda])
        acc10_0.addProduct(va, b0)
      }
      if rows > 11 {
        let va = SIMD16<Float>(repeating: ap[11 * lda])
        acc11_0.addProduct(va, b0)
      }
      ap += 1
      bp += bStride
    }
    c0_0 = acc0_0
    c1_0 = acc1_0
    c2_0 = acc2_0
    c3_0 = acc3_0
    c4_0 = acc4_0
    c5_0 = acc5_0
    c6_0 = acc6_0
    c7_0 = acc7_0
    c8_0 = acc8_0
    c9_0 = acc9_0
    c10_0 = acc10_0
    c11_0 = acc11_0
  }

  /// `max(0, C)` elementwise.
  @inline(__always)
  mutating func applyReLU() {
    c0_0 = c0_0.replacing(with: 0, where: c0_0 .< 0)
    c1_0 = c1_0.replacing(with: 0, where: c1_0 .< 0)
    c2_0 = c2_0.replacing(with: 0, where: c2_0 .< 0)
    c3_0 = c3_0.replacing(with: 0, where: c3_0 .< 0)
    c4_0 = c4_0.replacing(with: 0, where: c4_0 .< 0)
    c5_0 = c5_0.replacing(with: 0, where: c5_0 .< 0)
    c6_0 = c6_0.replacing(with: 0, where: c6_0 .< 0)
    c7_0 = c7_0.replacing(with: 0, where: c7_0 .< 0)
    c8_0 = c8_0.replacing(with: 0, where: c8_0 .< 0)
    c9_0 = c9_0.replacing(with: 0, where: c9_0 .< 0)
    c10_0 = c10_0.replacing(with: 0, where: c10_0 .< 0)
    c11_0 = c11_0.replacing(with: 0, where: c11_0 .< 0)
  }

  /// Stores rows 0..<rows to `c` (row stride `ldc`), `columns` (1...16) columns each; writes
  /// nothing else.
  @inline(__always)
  func store(to c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int) {
    c0_0.store(to: c, count: columns)
    if rows > 1 { c1_0.store(to: c + 1 * ldc, count: columns) }
    if rows > 2 { c2_0.store(to: c + 2 * ldc, count: columns) }
    if rows > 3 { c3_0.store(to: c + 3 * ldc, count: columns) }
    if rows > 4 { c4_0.store(to: c + 4 * ldc, count: columns) }
    if rows > 5 { c5_0.store(to: c + 5 * ldc, count: columns) }
    if rows > 6 { c6_0.store(to: c + 6 * ldc, count: columns) }
    if rows > 7 { c7_0.store(to: c + 7 * ldc, count: columns) }
    if rows > 8 { c8_0.store(to: c + 8 * ldc, count: columns) }
    if rows > 9 { c9_0.store(to: c + 9 * ldc, count: columns) }
    if rows > 10 { c10_0.store(to: c + 10 * ldc, count: columns) }
    if rows > 11 { c11_0.store(to: c + 11 * ldc, count: columns) }
  }
}
