import ConvKernels

/// The 12x32 register tile of the AVX-512 `GEMM.multiply`: C rows 0..<12, columns 0..<32
/// across two adjacent 16-column B panels.
///
/// Registers (AVX-512, 32 zmm): 24 accumulators `c{row}_{vector}`, two B vectors loaded per k
/// step and one A broadcast: 27 zmm, no spills. Each k step is 24 `vfmadd231ps zmm` for 2 B
/// loads and 12 broadcasts: 14 loads per 24 FMAs, under the two loads per cycle that feed two
/// 512-bit FMA units. Twelve rows, not fourteen (28 accumulators + 3 = 31 zmm), because 12
/// divides the row counts of the MobileNetV1 layers into whole tiles more often, and the
/// row-count plan of `GEMM.multiply` balances the rest.
///
/// `rows` (1...12) is a parameter of every method, and `GEMM.multiply` calls them with a
/// constant, so each row count compiles to its own loop with no work for the missing rows:
/// a 7x7 image (49 rows) runs as 4 + 1 tiles of 10, 10, 10, 10 and 9 rows, not 5 tiles of 12.
/// Rows past `rows` are neither read nor written. Every element sums its products in k order
/// from its starting value, exactly as the AVX2 tiles do, so the two GEMMs give bitwise equal
/// results.
struct GEMMTile12x32 {
  var c0_0: SIMD16<Float>
  var c0_1: SIMD16<Float>
  var c1_0: SIMD16<Float>
  var c1_1: SIMD16<Float>
  var c2_0: SIMD16<Float>
  var c2_1: SIMD16<Float>
  var c3_0: SIMD16<Float>
  var c3_1: SIMD16<Float>
  var c4_0: SIMD16<Float>
  var c4_1: SIMD16<Float>
  var c5_0: SIMD16<Float>
  var c5_1: SIMD16<Float>
  var c6_0: SIMD16<Float>
  var c6_1: SIMD16<Float>
  var c7_0: SIMD16<Float>
  var c7_1: SIMD16<Float>
  var c8_0: SIMD16<Float>
  var c8_1: SIMD16<Float>
  var c9_0: SIMD16<Float>
  var c9_1: SIMD16<Float>
  var c10_0: SIMD16<Float>
  var c10_1: SIMD16<Float>
  var c11_0: SIMD16<Float>
  var c11_1: SIMD16<Float>

  /// Every row set to the same 32 values `v0 ++ v1` (zeros, or a per-column bias).
  @inline(__always)
  init(_ v0: SIMD16<Float>, _ v1: SIMD16<Float>) {
    c0_0 = v0
    c0_1 = v1
    c1_0 = v0
    c1_1 = v1
    c2_0 = v0
    c2_1 = v1
    c3_0 = v0
    c3_1 = v1
    c4_0 = v0
    c4_1 = v1
    c5_0 = v0
    c5_1 = v1
    c6_0 = v0
    c6_1 = v1
    c7_0 = v0
    c7_1 = v1
    c8_0 = v0
    c8_1 = v1
    c9_0 = v0
    c9_1 = v1
    c10_0 = v0
    c10_1 = v1
    c11_0 = v0
    c11_1 = v1
  }

  /// Row i set to `bias[i]` in every column, for i in 0..<rows (a per-row bias: NCHW
  /// output channels); the other rows are zero.
  @inline(__always)
  init(rowBias bias: UnsafePointer<Float>, rows: Int) {
    c0_0 = rows > 0 ? SIMD16(repeating: bias[0]) : .zero
    c0_1 = c0_0
    c1_0 = rows > 1 ? SIMD16(repeating: bias[1]) : .zero
    c1_1 = c1_0
    c2_0 = rows > 2 ? SIMD16(repeating: bias[2]) : .zero
    c2_1 = c2_0
    c3_0 = rows > 3 ? SIMD16(repeating: bias[3]) : .zero
    c3_1 = c3_0
    c4_0 = rows > 4 ? SIMD16(repeating: bias[4]) : .zero
    c4_1 = c4_0
    c5_0 = rows > 5 ? SIMD16(repeating: bias[5]) : .zero
    c5_1 = c5_0
    c6_0 = rows > 6 ? SIMD16(repeating: bias[6]) : .zero
    c6_1 = c6_0
    c7_0 = rows > 7 ? SIMD16(repeating: bias[7]) : .zero
    c7_1 = c7_0
    c8_0 = rows > 8 ? SIMD16(repeating: bias[8]) : .zero
    c8_1 = c8_0
    c9_0 = rows > 9 ? SIMD16(repeating: bias[9]) : .zero
    c9_1 = c9_0
    c10_0 = rows > 10 ? SIMD16(repeating: bias[10]) : .zero
    c10_1 = c10_0
    c11_0 = rows > 11 ? SIMD16(repeating: bias[11]) : .zero
    c11_1 = c11_0
  }

  /// Loads rows 0..<rows of `c` (row stride `ldc`), 32 columns each; the other rows are zero
  /// and nothing of them is read.
  @inline(__always)
  init(loading c: UnsafePointer<Float>, ldc: Int, rows: Int) {
    c0_0 = rows > 0 ? .load(c + 0 * ldc + 0) : .zero
    c0_1 = rows > 0 ? .load(c + 0 * ldc + 16) : .zero
    c1_0 = rows > 1 ? .load(c + 1 * ldc + 0) : .zero
    c1_1 = rows > 1 ? .load(c + 1 * ldc + 16) : .zero
    c2_0 = rows > 2 ? .load(c + 2 * ldc + 0) : .zero
    c2_1 = rows > 2 ? .load(c + 2 * ldc + 16) : .zero
    c3_0 = rows > 3 ? .load(c + 3 * ldc + 0) : .zero
    c3_1 = rows > 3 ? .load(c + 3 * ldc + 16) : .zero
    c4_0 = rows > 4 ? .load(c + 4 * ldc + 0) : .zero
    c4_1 = rows > 4 ? .load(c + 4 * ldc + 16) : .zero
    c5_0 = rows > 5 ? .load(c + 5 * ldc + 0) : .zero
    c5_1 = rows > 5 ? .load(c + 5 * ldc + 16) : .zero
    c6_0 = rows > 6 ? .load(c + 6 * ldc + 0) : .zero
    c6_1 = rows > 6 ? .load(c + 6 * ldc + 16) : .zero
    c7_0 = rows > 7 ? .load(c + 7 * ldc + 0) : .zero
    c7_1 = rows > 7 ? .load(c + 7 * ldc + 16) : .zero
    c8_0 = rows > 8 ? .load(c + 8 * ldc + 0) : .zero
    c8_1 = rows > 8 ? .load(c + 8 * ldc + 16) : .zero
    c9_0 = rows > 9 ? .load(c + 9 * ldc + 0) : .zero
    c9_1 = rows > 9 ? .load(c + 9 * ldc + 16) : .zero
    c10_0 = rows > 10 ? .load(c + 10 * ldc + 0) : .zero
    c10_1 = rows > 10 ? .load(c + 10 * ldc + 16) : .zero
    c11_0 = rows > 11 ? .load(c + 11 * ldc + 0) : .zero
    c11_1 = rows > 11 ? .load(c + 11 * ldc + 16) : .zero
  }

  /// `kc` steps of the rank-1 update `C[i][j] += A[i][k] * B[k][j]` for rows 0..<rows, where
  /// row i of A starts at `a + i * lda`, columns 0..<16 are the panel at `b` and 16..<32 the
  /// one at `b + panelStride` (each read as 16 floats every `bStride`).
  @inline(__always)
  mutating func accumulate(
    _ a: UnsafePointer<Float>, lda: Int, rows: Int, kc: Int, _ b: UnsafePointer<Float>,
    panelStride: Int, bStride: Int
  ) {
    var acc0_0 = c0_0
    var acc0_1 = c0_1
    var acc1_0 = c1_0
    var acc1_1 = c1_1
    var acc2_0 = c2_0
    var acc2_1 = c2_1
    var acc3_0 = c3_0
    var acc3_1 = c3_1
    var acc4_0 = c4_0
    var acc4_1 = c4_1
    var acc5_0 = c5_0
    var acc5_1 = c5_1
    var acc6_0 = c6_0
    var acc6_1 = c6_1
    var acc7_0 = c7_0
    var acc7_1 = c7_1
    var acc8_0 = c8_0
    var acc8_1 = c8_1
    var acc9_0 = c9_0
    var acc9_1 = c9_1
    var acc10_0 = c10_0
    var acc10_1 = c10_1
    var acc11_0 = c11_0
    var acc11_1 = c11_1
    var ap = a
    var bp = b
    for _ in 0..<kc {
      let b0 = SIMD16<Float>.load(bp)
      let b1 = SIMD16<Float>.load(bp + panelStride)
      let va0 = SIMD16<Float>(repeating: ap[0])
      acc0_0.addProduct(va0, b0)
      acc0_1.addProduct(va0, b1)
      if rows > 1 {
        let va = SIMD16<Float>(repeating: ap[1 * lda])
        acc1_0.addProduct(va, b0)
        acc1_1.addProduct(va, b1)
      }
      if rows > 2 {
        let va = SIMD16<Float>(repeating: ap[2 * lda])
        acc2_0.addProduct(va, b0)
        acc2_1.addProduct(va, b1)
      }
      if rows > 3 {
        let va = SIMD16<Float>(repeating: ap[3 * lda])
        acc3_0.addProduct(va, b0)
        acc3_1.addProduct(va, b1)
      }
      if rows > 4 {
        let va = SIMD16<Float>(repeating: ap[4 * lda])
        acc4_0.addProduct(va, b0)
        acc4_1.addProduct(va, b1)
      }
      if rows > 5 {
        let va = SIMD16<Float>(repeating: ap[5 * lda])
        acc5_0.addProduct(va, b0)
        acc5_1.addProduct(va, b1)
      }
      if rows > 6 {
        let va = SIMD16<Float>(repeating: ap[6 * lda])
        acc6_0.addProduct(va, b0)
        acc6_1.addProduct(va, b1)
      }
      if rows > 7 {
        let va = SIMD16<Float>(repeating: ap[7 * lda])
        acc7_0.addProduct(va, b0)
        acc7_1.addProduct(va, b1)
      }
      if rows > 8 {
        let va = SIMD16<Float>(repeating: ap[8 * lda])
        acc8_0.addProduct(va, b0)
        acc8_1.addProduct(va, b1)
      }
      if rows > 9 {
        let va = SIMD16<Float>(repeating: ap[9 * lda])
        acc9_0.addProduct(va, b0)
        acc9_1.addProduct(va, b1)
      }
      if rows > 10 {
        let va = SIMD16<Float>(repeating: ap[10 * lda])
        acc10_0.addProduct(va, b0)
        acc10_1.addProduct(va, b1)
      }
      if rows > 11 {
        let va = SIMD16<Float>(repeating: ap[11 * lda])
        acc11_0.addProduct(va, b0)
        acc11_1.addProduct(va, b1)
      }
      ap += 1
      bp += bStride
    }
    c0_0 = acc0_0
    c0_1 = acc0_1
    c1_0 = acc1_0
    c1_1 = acc1_1
    c2_0 = acc2_0
    c2_1 = acc2_1
    c3_0 = acc3_0
    c3_1 = acc3_1
    c4_0 = acc4_0
    c4_1 = acc4_1
    c5_0 = acc5_0
    c5_1 = acc5_1
    c6_0 = acc6_0
    c6_1 = acc6_1
    c7_0 = acc7_0
    c7_1 = acc7_1
    c8_0 = acc8_0
    c8_1 = acc8_1
    c9_0 = acc9_0
    c9_1 = acc9_1
    c10_0 = acc10_0
    c10_1 = acc10_1
    c11_0 = acc11_0
    c11_1 = acc11_1
  }

  /// `max(0, C)` elementwise.
  @inline(__always)
  mutating func applyReLU() {
    c0_0 = c0_0.replacing(with: 0, where: c0_0 .< 0)
    c0_1 = c0_1.replacing(with: 0, where: c0_1 .< 0)
    c1_0 = c1_0.replacing(with: 0, where: c1_0 .< 0)
    c1_1 = c1_1.replacing(with: 0, where: c1_1 .< 0)
    c2_0 = c2_0.replacing(with: 0, where: c2_0 .< 0)
    c2_1 = c2_1.replacing(with: 0, where: c2_1 .< 0)
    c3_0 = c3_0.replacing(with: 0, where: c3_0 .< 0)
    c3_1 = c3_1.replacing(with: 0, where: c3_1 .< 0)
    c4_0 = c4_0.replacing(with: 0, where: c4_0 .< 0)
    c4_1 = c4_1.replacing(with: 0, where: c4_1 .< 0)
    c5_0 = c5_0.replacing(with: 0, where: c5_0 .< 0)
    c5_1 = c5_1.replacing(with: 0, where: c5_1 .< 0)
    c6_0 = c6_0.replacing(with: 0, where: c6_0 .< 0)
    c6_1 = c6_1.replacing(with: 0, where: c6_1 .< 0)
    c7_0 = c7_0.replacing(with: 0, where: c7_0 .< 0)
    c7_1 = c7_1.replacing(with: 0, where: c7_1 .< 0)
    c8_0 = c8_0.replacing(with: 0, where: c8_0 .< 0)
    c8_1 = c8_1.replacing(with: 0, where: c8_1 .< 0)
    c9_0 = c9_0.replacing(with: 0, where: c9_0 .< 0)
    c9_1 = c9_1.replacing(with: 0, where: c9_1 .< 0)
    c10_0 = c10_0.replacing(with: 0, where: c10_0 .< 0)
    c10_1 = c10_1.replacing(with: 0, where: c10_1 .< 0)
    c11_0 = c11_0.replacing(with: 0, where: c11_0 .< 0)
    c11_1 = c11_1.replacing(with: 0, where: c11_1 .< 0)
  }

  /// Stores rows 0..<rows to `c` (row stride `ldc`), 32 columns each; writes nothing else.
  @inline(__always)
  func store(to c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int) {
    c0_0.store(to: c)
    c0_1.store(to: c + 16)
    if rows > 1 {
      c1_0.store(to: c + 1 * ldc)
      c1_1.store(to: c + 1 * ldc + 16)
    }
    if rows > 2 {
      c2_0.store(to: c + 2 * ldc)
      c2_1.store(to: c + 2 * ldc + 16)
    }
    if rows > 3 {
      c3_0.store(to: c + 3 * ldc)
      c3_1.store(to: c + 3 * ldc + 16)
    }
    if rows > 4 {
      c4_0.store(to: c + 4 * ldc)
      c4_1.store(to: c + 4 * ldc + 16)
    }
    if rows > 5 {
      c5_0.store(to: c + 5 * ldc)
      c5_1.store(to: c + 5 * ldc + 16)
    }
    if rows > 6 {
      c6_0.store(to: c + 6 * ldc)
      c6_1.store(to: c + 6 * ldc + 16)
    }
    if rows > 7 {
      c7_0.store(to: c + 7 * ldc)
      c7_1.store(to: c + 7 * ldc + 16)
    }
    if rows > 8 {
      c8_0.store(to: c + 8 * ldc)
      c8_1.store(to: c + 8 * ldc + 16)
    }
    if rows > 9 {
      c9_0.store(to: c + 9 * ldc)
      c9_1.store(to: c + 9 * ldc + 16)
    }
    if rows > 10 {
      c10_0.store(to: c + 10 * ldc)
      c10_1.store(to: c + 10 * ldc + 16)
    }
    if rows > 11 {
      c11_0.store(to: c + 11 * ldc)
      c11_1.store(to: c + 11 * ldc + 16)
    }
  }
}
