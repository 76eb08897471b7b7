import ConvKernels

/// Where a tile of `GEMMTile12x32.run` starts.
enum TileStart {
  /// Every row at the 32 values of a per-column bias from this address; zero when nil.
  case columnBias(UnsafePointer<Float>?)
  /// Row i at `bias[i]` in every column (a per-row bias).
  case rowBias(UnsafePointer<Float>)
  /// At the partial sums already in C (every K block after the first).
  case partialSums
}

/// The K steps of a `GEMMTile12x32.run` as `height x width` taps of `kc` steps each: tap
/// (kh, kw) reads A from `a + kh * aRowStride + kw * aStep` and B from the start plus
/// `(kh * width + kw) * bStep`. A GEMM is one tap; a KxK convolution over a padded image is
/// K x K taps of C_in steps.
struct TileTaps {
  let height, width: Int
  let aRowStride, aStep, bStep: Int

  /// One tap: a plain GEMM block.
  static let single = TileTaps(height: 1, width: 1, aRowStride: 0, aStep: 0, bStep: 0)
}

extension GEMMEpilogue {
  /// How a 12x32 tile at B column `column` starts in the first K block, its first row being
  /// row `row` of the `multiply` call.
  @inline(__always)
  func start12x32(row: Int, column: Int) -> TileStart {
    switch bias {
    case .none: .columnBias(nil)
    case .perColumn(let b): .columnBias(b + column)
    case .perRow(let b): .rowBias(b + row)
    }
  }
}

/// The 12x32 register tile of the AVX-512 `GEMM.multiply` and of the padded direct
/// convolution: C rows 0..<12, columns 0..<32 across two adjacent 16-column B panels.
///
/// Registers (AVX-512, 32 zmm): 24 accumulators `acc{row}_{vector}`, two B vectors loaded per
/// k step and one A broadcast: 27 zmm, no spills. Each k step is 24 `vfmadd231ps zmm` for 2 B
/// loads and 12 broadcasts: 14 loads per 24 FMAs, under the two loads per cycle that feed two
/// 512-bit FMA units. Twelve rows, not fourteen (28 accumulators + 3 = 31 zmm), because 12
/// divides the row counts of the MobileNetV1 layers into whole tiles more often, and the
/// row-count plan of `GEMM.multiply` balances the rest.
///
/// `rows` (1...12) is a parameter, and the callers pass a constant, so each row count
/// compiles to its own loop with no work for the missing rows: a 7x7 image (49 rows) runs as
/// 4 + 1 tiles of 10, 10, 10, 10 and 9 rows, not 5 tiles of 12. Rows past `rows` are neither
/// read nor written. Every element sums its products in k order from its starting value,
/// exactly as the AVX2 tiles do, so the two GEMMs give bitwise equal results.
///
/// The tile is a function, not a value: the accumulators are locals from start to store. A
/// 24-vector struct that two branches meet in, or that a call takes, is kept in memory by
/// the compiler (24 vector stores and as many loads per tile, and per tap in a convolution),
/// about a tenth of a K = 32 tile's time: without them b01's pw runs 9 to 13 % faster
/// (`sepbench ab`, 8 and 12 pairs of blocks).
enum GEMMTile12x32 {
  /// One tile from start to store: the accumulators start as `start` says, take `kc` rank-1
  /// updates `C[i][j] += A[i][k] * B[k][j]` per tap of `taps` (row i of A at `a + i * lda`,
  /// columns 0..<16 from the panel at `b`, 16..<32 from `b + panelStride`, each read as 16
  /// floats every `bStride`), and are stored to rows 0..<rows of `c` (row stride `ldc`),
  /// after `max(0, C)` when `relu`.
  @inline(__always)
  static func run(
    start: TileStart, _ a: UnsafePointer<Float>, lda: Int, rows: Int, kc: Int, taps: TileTaps,
    _ b: UnsafePointer<Float>, panelStride: Int, bStride: Int, relu: Bool,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    @inline(__always)
    func initial(_ i: Int) -> (SIMD16<Float>, SIMD16<Float>) {
      guard i < rows else { return (.zero, .zero) }
      switch start {
      case .columnBias(let bias?): return (.load(bias), .load(bias + 16))
      case .columnBias(nil): return (.zero, .zero)
      case .rowBias(let bias):
        let v = SIMD16<Float>(repeating: bias[i])
        return (v, v)
      case .partialSums: return (.load(c + i * ldc), .load(c + i * ldc + 16))
      }
    }
    var (acc0_0, acc0_1) = initial(0)
    var (acc1_0, acc1_1) = initial(1)
    var (acc2_0, acc2_1) = initial(2)
    var (acc3_0, acc3_1) = initial(3)
    var (acc4_0, acc4_1) = initial(4)
    var (acc5_0, acc5_1) = initial(5)
    var (acc6_0, acc6_1) = initial(6)
    var (acc7_0, acc7_1) = initial(7)
    var (acc8_0, acc8_1) = initial(8)
    var (acc9_0, acc9_1) = initial(9)
    var (acc10_0, acc10_1) = initial(10)
    var (acc11_0, acc11_1) = initial(11)
    var bTap = b
    for kh in 0..<taps.height {
      var aTap = a + kh * taps.aRowStride
      for _ in 0..<taps.width {
        var ap = aTap
        var bp = bTap
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
        aTap += taps.aStep
        bTap += taps.bStep
      }
    }
    @inline(__always)
    func put(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
      (relu ? v.replacing(with: 0, where: v .< 0) : v).store(to: p)
    }
    put(acc0_0, c)
    put(acc0_1, c + 16)
    if rows > 1 {
      put(acc1_0, c + 1 * ldc)
      put(acc1_1, c + 1 * ldc + 16)
    }
    if rows > 2 {
      put(acc2_0, c + 2 * ldc)
      put(acc2_1, c + 2 * ldc + 16)
    }
    if rows > 3 {
      put(acc3_0, c + 3 * ldc)
      put(acc3_1, c + 3 * ldc + 16)
    }
    if rows > 4 {
      put(acc4_0, c + 4 * ldc)
      put(acc4_1, c + 4 * ldc + 16)
    }
    if rows > 5 {
      put(acc5_0, c + 5 * ldc)
      put(acc5_1, c + 5 * ldc + 16)
    }
    if rows > 6 {
      put(acc6_0, c + 6 * ldc)
      put(acc6_1, c + 6 * ldc + 16)
    }
    if rows > 7 {
      put(acc7_0, c + 7 * ldc)
      put(acc7_1, c + 7 * ldc + 16)
    }
    if rows > 8 {
      put(acc8_0, c + 8 * ldc)
      put(acc8_1, c + 8 * ldc + 16)
    }
    if rows > 9 {
      put(acc9_0, c + 9 * ldc)
      put(acc9_1, c + 9 * ldc + 16)
    }
    if rows > 10 {
      put(acc10_0, c + 10 * ldc)
      put(acc10_1, c + 10 * ldc + 16)
    }
    if rows > 11 {
      put(acc11_0, c + 11 * ldc)
      put(acc11_1, c + 11 * ldc + 16)
    }
  }
}
