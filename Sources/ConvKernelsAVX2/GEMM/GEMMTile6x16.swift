import ConvKernels

/// The 6x16 register tile of `GEMM.multiply`: C rows 0..<6, columns 0..<16.
///
/// Registers (AVX2, 16 ymm): 12 accumulators `c{row}{half}` (row 0-5, columns 0-7 and
/// 8-15), two B vectors `vb0`/`vb1` loaded per k step and one A broadcast `va{row}`: 15 ymm.
/// Each k step is 12 `vfmadd231ps ymm` (`addProduct`; Swift never contracts `a * b + c`) for
/// 2 loads of B and 6 broadcasts of A: FMA-bound on a core of its own (2 loads/cycle), but
/// load-bound on a shared one, where `GEMMTile3x32` (7 loads) does better; `GEMM.multiply`
/// keeps this tile for the columns that do not fill a pair of panels.
///
/// A is read through six row pointers, so rows may be anywhere: a row-major matrix
/// (`a + i * lda`), the pixels of an NHWC image under a KxK window (direct convolution), or a
/// zero row for padding. Row tails alias a valid row; the driver discards their results.
/// Column tails are handled by the zero-padded B panel plus `load`/`store` with a column count.
struct GEMMTile6x16 {
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
  var c50: SIMD8<Float>
  var c51: SIMD8<Float>

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
    c50 = lo
    c51 = hi
  }

  /// Row i set to `bias[i]` in all 16 columns (a per-row bias: NCHW output channels).
  @inline(__always)
  init(rowBias bias: UnsafePointer<Float>) {
    c00 = SIMD8(repeating: bias[0])
    c01 = c00
    c10 = SIMD8(repeating: bias[1])
    c11 = c10
    c20 = SIMD8(repeating: bias[2])
    c21 = c20
    c30 = SIMD8(repeating: bias[3])
    c31 = c30
    c40 = SIMD8(repeating: bias[4])
    c41 = c40
    c50 = SIMD8(repeating: bias[5])
    c51 = c50
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
    c50 = .load(c + 5 * ldc)
    c51 = .load(c + 5 * ldc + 8)
  }

  /// `kc` steps of the rank-1 update: `C[i][j] += a_i[depth.offset(k)] * b[k * bStride + j]`
  /// for k in 0..<kc. Reads those elements of each `a_i` and 16 floats at each of
  /// `b + k * bStride` (bStride 16 for a packed panel).
  @inline(__always)
  mutating func accumulate<Depth: GEMMDepthIndex>(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, _ a5: UnsafePointer<Float>,
    depth: Depth = ContiguousDepth(), kc: Int, _ b: UnsafePointer<Float>, bStride: Int = 16
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
    var vacc50 = c50
    var vacc51 = c51
    var bp = b
    for k in 0..<kc {
      let offset = depth.offset(k)
      let vb0 = SIMD8<Float>.load(bp)
      let vb1 = SIMD8<Float>.load(bp + 8)
      let va0 = SIMD8<Float>(repeating: a0[offset])
      vacc00.addProduct(va0, vb0)
      vacc01.addProduct(va0, vb1)
      let va1 = SIMD8<Float>(repeating: a1[offset])
      vacc10.addProduct(va1, vb0)
      vacc11.addProduct(va1, vb1)
      let va2 = SIMD8<Float>(repeating: a2[offset])
      vacc20.addProduct(va2, vb0)
      vacc21.addProduct(va2, vb1)
      let va3 = SIMD8<Float>(repeating: a3[offset])
      vacc30.addProduct(va3, vb0)
      vacc31.addProduct(va3, vb1)
      let va4 = SIMD8<Float>(repeating: a4[offset])
      vacc40.addProduct(va4, vb0)
      vacc41.addProduct(va4, vb1)
      let va5 = SIMD8<Float>(repeating: a5[offset])
      vacc50.addProduct(va5, vb0)
      vacc51.addProduct(va5, vb1)
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
    c50 = vacc50
    c51 = vacc51
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
    c50 = c50.replacing(with: 0, where: c50 .< 0)
    c51 = c51.replacing(with: 0, where: c51 .< 0)
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
    c50.store(to: c + 5 * ldc)
    c51.store(to: c + 5 * ldc + 8)
  }

  /// Row `i` (0-5) as two vectors.
  @inline(__always)
  func row(_ i: Int) -> (SIMD8<Float>, SIMD8<Float>) {
    switch i {
    case 0: (c00, c01)
    case 1: (c10, c11)
    case 2: (c20, c21)
    case 3: (c30, c31)
    case 4: (c40, c41)
    case 5: (c50, c51)
    default: (c50, c51)
    }
  }

  @inline(__always)
  mutating func setRow(_ i: Int, _ value: (SIMD8<Float>, SIMD8<Float>)) {
    switch i {
    case 0:
      c00 = value.0
      c01 = value.1
    case 1:
      c10 = value.0
      c11 = value.1
    case 2:
      c20 = value.0
      c21 = value.1
    case 3:
      c30 = value.0
      c31 = value.1
    case 4:
      c40 = value.0
      c41 = value.1
    case 5:
      c50 = value.0
      c51 = value.1
    default:
      c50 = value.0
      c51 = value.1
    }
  }

  /// Loads rows 0..<rows and columns 0..<columns (1...6, 1...16) of `c`; the rest is zero.
  /// Never reads outside those elements.
  @inline(__always)
  init(loading c: UnsafePointer<Float>, ldc: Int, rows: Int, columns: Int) {
    self.init(lo: .zero, hi: .zero)
    for i in 0..<rows {
      var lo = SIMD8<Float>.zero
      var hi = SIMD8<Float>.zero
      for j in 0..<columns {
        if j < 8 { lo[j] = c[i * ldc + j] } else { hi[j - 8] = c[i * ldc + j] }
      }
      setRow(i, (lo, hi))
    }
  }

  /// Stores rows 0..<rows and columns 0..<columns (1...6, 1...16) to `c`; writes nothing else.
  @inline(__always)
  func store(to c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int) {
    for i in 0..<rows {
      let (lo, hi) = row(i)
      for j in 0..<columns {
        c[i * ldc + j] = j < 8 ? lo[j] : hi[j - 8]
      }
    }
  }
}
