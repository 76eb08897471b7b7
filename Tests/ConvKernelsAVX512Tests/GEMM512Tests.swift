import ConvKernels
import ConvKernelsAVX2
import ConvKernelsAVX512
import Testing

/// The AVX-512 GEMM against the AVX2 one: both sum each element's products in k order from
/// the same start (partial sums between K blocks are stored and reloaded unchanged), so on
/// random data their outputs must be bitwise equal, and equal to a Double triple loop within
/// rounding. Runs only where this CPU and OS
/// support AVX-512 (nothing of that target may run elsewhere).
@Suite(.enabled(if: ISA.avx512.isSupported, "needs AVX-512 F/VL/BW/DQ"))
struct GEMM512Tests {
  /// One problem: A `rows x depth` (stride `lda`), B `depth x columns` as Wᵀ, per-row and
  /// per-column bias, C with stride `ldc` pre-filled with NaN.
  struct Problem {
    let rows, depth, columns, lda, ldc: Int
    let a, w, rowBias, columnBias: [Float]

    init(rows: Int, depth: Int, columns: Int, seed: UInt64) {
      var random = SplitMix64(seed: seed)
      self.rows = rows
      self.depth = depth
      self.columns = columns
      lda = depth + 3
      ldc = columns + 5
      a = (0..<(rows * lda)).map { _ in Float.random(in: -1..<1, using: &random) }
      w = (0..<(depth * columns)).map { _ in Float.random(in: -1..<1, using: &random) }
      rowBias = (0..<rows).map { _ in Float.random(in: -1..<1, using: &random) }
      columnBias = (0..<((columns + 15) / 16 * 16)).map { _ in
        Float.random(in: -1..<1, using: &random)
      }
    }

    /// C from the AVX2 GEMM, or the AVX-512 one, over `range`; bias 0 none, 1 per row, 2 per
    /// column.
    func product(avx512: Bool, range: Range<Int>, bias: Int, relu: Bool) -> [Float] {
      var c = [Float](repeating: .nan, count: rows * ldc + 4)
      a.withUnsafeBufferPointer { ap in
        rowBias.withUnsafeBufferPointer { rb in
          columnBias.withUnsafeBufferPointer { cb in
            c.withUnsafeMutableBufferPointer { cp in
              if avx512 {
                let packed = ConvKernelsAVX512.GEMMPackedWeights(
                  transposing: w, depth: depth, columns: columns)
                let kind: ConvKernelsAVX512.GEMMEpilogue.Bias =
                  bias == 0
                  ? .none : bias == 1 ? .perRow(rb.baseAddress!) : .perColumn(cb.baseAddress!)
                ConvKernelsAVX512.GEMM.multiply(
                  rows: rows, depth: depth, a: ap.baseAddress!, lda: lda, b: packed.panels,
                  columns: range, c: cp.baseAddress!, ldc: ldc,
                  epilogue: .init(bias: kind, relu: relu))
              } else {
                let packed = ConvKernelsAVX2.GEMMPackedWeights(
                  transposing: w, depth: depth, columns: columns)
                let kind: ConvKernelsAVX2.GEMMEpilogue.Bias =
                  bias == 0
                  ? .none : bias == 1 ? .perRow(rb.baseAddress!) : .perColumn(cb.baseAddress!)
                ConvKernelsAVX2.GEMM.multiply(
                  rows: rows, depth: depth, a: ap.baseAddress!, lda: lda, b: packed.panels,
                  columns: range, c: cp.baseAddress!, ldc: ldc,
                  epilogue: .init(bias: kind, relu: relu))
              }
            }
          }
        }
      }
      return c
    }
  }

  /// Every row count 1...25 (each tile size 1...12, and two-tile plans), the 7x7 and 14x14
  /// images; columns around one and two panels and across the 256-column block; a column
  /// range that starts at an odd panel; depth on both sides of the 6-row tiles' limit (64) and
  /// across K blocks of 512.
  @Test(arguments: Array(1...25) + [49, 196])
  func bitwiseEqualToTheAVX2GEMM(rows: Int) {
    for (columns, start) in [
      (1, 0), (15, 0), (16, 0), (17, 0), (33, 16), (48, 0), (80, 16), (300, 0), (300, 32),
    ] {
      for depth in [1, 7, 64, 65, 300, 1100]
      where rows * depth * columns <= 4_000_000 || depth == 7 {
        let problem = Problem(
          rows: rows, depth: depth, columns: columns,
          seed: UInt64(rows * 7919 + columns * 31 + depth))
        for bias in 0..<3 {
          let relu = bias != 1
          let range = start..<columns
          let expected = problem.product(avx512: false, range: range, bias: bias, relu: relu)
          let actual = problem.product(avx512: true, range: range, bias: bias, relu: relu)
          let same = zip(expected, actual).allSatisfy {
            $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN)
          }
          #expect(same, "rows \(rows) columns \(range) depth \(depth) bias \(bias)")
        }
      }
    }
  }

  /// Against a Double triple loop (so the pair is not merely wrong the same way), and nothing
  /// outside the requested block written.
  @Test(arguments: [1, 5, 12, 13, 49])
  func matchesTheTripleLoopAndWritesOnlyItsBlock(rows: Int) {
    let (depth, columns) = (530, 47)
    let problem = Problem(rows: rows, depth: depth, columns: columns, seed: UInt64(rows))
    let c = problem.product(avx512: true, range: 16..<columns, bias: 2, relu: true)
    for i in 0..<rows {
      for j in 0..<problem.ldc {
        let value = c[i * problem.ldc + j]
        guard (16..<columns).contains(j) else {
          #expect(value.isNaN, "row \(i) column \(j) written")
          continue
        }
        var sum = Double(problem.columnBias[j])
        for k in 0..<depth {
          sum += Double(problem.a[i * problem.lda + k]) * Double(problem.w[j * depth + k])
        }
        #expect(abs(Double(value) - max(0, sum)) <= 1e-4, "row \(i) column \(j)")
      }
    }
    #expect(c[(rows * problem.ldc)...].allSatisfy { $0.isNaN })
  }

  /// 49 rows = 4 tiles of 10 + 1 of 9; 196 = 9 of 12 + 8 of 11.
  @Test func rowTilesDifferByAtMostOneRow() {
    func plan(_ rows: Int) -> [Int] {
      let tiles = ConvKernelsAVX512.GEMM.rowTiles(rows)
      return [tiles.count, tiles.size, tiles.larger]
    }
    #expect(plan(49) == [5, 9, 4])
    #expect(plan(12) == [1, 12, 0])
    #expect(plan(13) == [2, 6, 1])
    #expect(plan(196) == [17, 11, 9])
    // At most 6 rows where K is at most 64: 49 = 4 x 6 + 5 x 5, 12544 (112x112) = 2091 tiles;
    // from K = 65 on, the 12-row plan.
    func plan(_ rows: Int, depth: Int) -> [Int] {
      let tiles = ConvKernelsAVX512.GEMM.rowTiles(rows, depth: depth)
      return [tiles.count, tiles.size, tiles.larger]
    }
    #expect(plan(49, depth: 32) == [9, 5, 4])
    #expect(plan(49, depth: 64) == [9, 5, 4])
    #expect(plan(49, depth: 65) == [5, 9, 4])
    #expect(plan(12544, depth: 32) == [2091, 5, 2089])
    #expect(plan(12544, depth: 128) == [1046, 11, 1038])
  }
}
