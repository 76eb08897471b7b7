import ConvKernels

/// Single-precision GEMM with a fused bias + ReLU epilogue on 512-bit vectors: the AVX-512
/// counterpart of the AVX2 target's `GEMM`, with the same contract, so the shared drivers
/// (pointwise, im2col, the fused separable block) compile against either.
///
/// `GEMM.multiply` computes, on the calling thread only,
///
///     C[i][j] = epilogue( sum over k of A[i][k] * B[k][j] )   for i in 0..<rows, j in columns
///
/// - A: `rows x depth`, row-major, row stride `lda` (>= depth), read with broadcasts straight
///   from memory (never packed).
/// - B: `depth x N` as 16-column panels (`GEMMPanels`, the same layout as AVX2: one panel row
///   is one 512-bit vector here).
/// - C: row stride `ldc`; only `rows x columns` elements are written, and only they are read.
/// - Epilogue (`GEMMEpilogue`): bias per column or per row, then ReLU before the last store.
///
/// Blocking. Register tiles of 12 rows, 6 where K is at most 64 (`shallowRows`;
/// `GEMMTile12x32` for every pair of whole panels, `GEMMTile12x16` for the panel after the last
/// pair). Rows are cut into `ceil(rows / 12)` (or `/ 6`) tiles whose sizes differ by at most
/// one (`rowTiles`), and each size runs a loop compiled for it (`multiplyRows`), so no tile
/// computes rows it does not store: 49 rows (a 7x7 image) run as 10, 10, 10, 10 and 9 where
/// K > 64, as 6, 6, 6, 6, 5, 5, 5, 5 and 5 where K <= 64. K is split into blocks of at most
/// 512 (`kBlock`). Each element is its starting value plus one FMA per k in k order, as in the
/// AVX2 GEMM (a partial sum kept in C between K blocks is stored and reloaded unchanged), so
/// the two GEMMs give bitwise equal results. Columns are blocked by `nc = 256`: a B block of
/// at most 512 x 256 floats (512 KiB) stays in a 1-2 MiB L2 while every row tile streams it;
/// one A tile (at most 12 x 512 floats, 24 KiB) stays in L1. Loop order: column block, K
/// block, row tile, panel pair.
///
/// Threads: as in the AVX2 GEMM, callers split rows or columns (at multiples of 16), never
/// K, so results are bitwise identical for any thread count.
package enum GEMM {
  /// Rows of the register tiles (the row quantum of most thread splits; any row count runs as
  /// balanced tiles, so a split may use a smaller one).
  static let mr = 12
  /// Width of a B panel.
  static let nr = 16
  /// Largest K block. A K block of 256 measured no faster (`sepbench ab`, 8 pairs of blocks,
  /// pw and sep_block on the MobileNetV1 shapes).
  static let kcMax = 512
  /// Columns per L2 block: a multiple of `2 * nr`.
  static let nc = 256

  /// K blocks: `ceil(depth / kcMax)` blocks of nearly equal length. Only where partial sums
  /// meet memory depends on it, never a result (a partial sum is stored and reloaded
  /// unchanged).
  @inline(__always)
  static func kBlock(depth: Int) -> Int {
    let blocks = (depth + kcMax - 1) / kcMax
    return (depth + blocks - 1) / blocks
  }

  /// Rows of the register tiles where K is at most `shallowDepth`. There a tile takes as long
  /// to start and store as to take a few of its k steps, and the 12-row tile stores 24 zmm
  /// (24 lines of C) at once. Against 12 rows, `sepbench ab --suite mobilenet-v1 --ops
  /// pw,sep_block --variants packed-gemm-avx512,fused-avx512 --layouts nhwc --threads 1,2
  /// --blocks 8` on a Zen 4 (AVX-512 on 256-bit units) measured b01 (K = 32) 7 to 8 % faster
  /// on one thread (pw and the fused block) and b02 (K = 64) 2 to 4 %; 4 rows measured the same
  /// as 6, and 6 rows up to K = 256 changed b03 to b06 by 0 to 2 %, within the noise.
  static let shallowRows = 6
  /// The deepest K that runs in tiles of `shallowRows`.
  static let shallowDepth = 64

  /// `rows` as `count` tiles of at most `limit` rows (default 12): the first `larger` hold
  /// `size + 1` rows, the others `size`.
  package static func rowTiles(_ rows: Int, limit: Int = mr) -> (
    count: Int, size: Int, larger: Int
  ) {
    let count = (rows + limit - 1) / limit
    return (count, rows / count, rows % count)
  }

  /// The row tiles `multiply` runs for `rows` rows of a product over `depth`: at most
  /// `shallowRows` rows each where `depth <= shallowDepth`, else at most `mr`.
  package static func rowTiles(_ rows: Int, depth: Int) -> (count: Int, size: Int, larger: Int) {
    rowTiles(rows, limit: depth <= shallowDepth ? shallowRows : mr)
  }

  /// `C[0..<rows][columns] = epilogue(A[0..<rows][0..<depth] · B[0..<depth][columns])` on the
  /// calling thread.
  /// - Parameters:
  ///   - rows: M (>= 0).
  ///   - depth: K (1...b.depth); B rows past `depth` are ignored.
  ///   - a, lda: A and its row stride (>= depth).
  ///   - b: the packed B.
  ///   - columns: B columns to compute; `lowerBound` a multiple of 16, `upperBound <= b.columns`.
  ///   - c, ldc: C and its row stride.
  ///   - epilogue: bias and ReLU.
  package static func multiply(
    rows: Int, depth: Int, a: UnsafePointer<Float>, lda: Int, b: GEMMPanels,
    columns: Range<Int>, c: UnsafeMutablePointer<Float>, ldc: Int, epilogue: GEMMEpilogue
  ) {
    guard rows > 0, depth > 0, !columns.isEmpty else { return }
    assert(columns.lowerBound % nr == 0 && columns.upperBound <= b.columns && depth <= b.depth)
    let kc = kBlock(depth: depth)
    let tiles = rowTiles(rows, depth: depth)
    var n0 = columns.lowerBound
    while n0 < columns.upperBound {
      let n1 = min(columns.upperBound, n0 + nc)
      let pairEnd = n0 + (n1 - n0) / (2 * nr) * (2 * nr)
      var k0 = 0
      while k0 < depth {
        let kLen = min(kc, depth - k0)
        let block = KBlock(
          kc: kLen, kOffset: k0, first: k0 == 0, last: k0 + kLen == depth)
        var i = 0
        for tile in 0..<tiles.count {
          let mLen = tiles.size + (tile < tiles.larger ? 1 : 0)
          multiplyRows(
            mLen, a + i * lda + k0, lda: lda, rowOffset: i, block: block, b: b,
            pairs: n0..<pairEnd, rest: pairEnd..<n1, c: c + i * ldc, ldc: ldc,
            epilogue: epilogue)
          i += mLen
        }
        k0 += kLen
      }
      n0 = n1
    }
  }

  /// One K block of a `multiply` call.
  struct KBlock {
    /// Its length and first k.
    let kc, kOffset: Int
    /// Whether it is the first block (start from the bias) or the last (apply ReLU).
    let first, last: Bool
  }

  /// One row tile of `rows` (1...12) rows: a loop specialised for each row count
  /// (`TileRows`), so the tiles hold only live accumulators.
  static func multiplyRows(
    _ rows: Int, _ a: UnsafePointer<Float>, lda: Int, rowOffset: Int, block: KBlock,
    b: GEMMPanels, pairs: Range<Int>, rest: Range<Int>, c: UnsafeMutablePointer<Float>, ldc: Int,
    epilogue: GEMMEpilogue
  ) {
    switch rows {
    case 12:
      multiplyRowTile(
        Rows12.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    case 11:
      multiplyRowTile(
        Rows11.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    case 10:
      multiplyRowTile(
        Rows10.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    case 9:
      multiplyRowTile(
        Rows9.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    case 8:
      multiplyRowTile(
        Rows8.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    case 7:
      multiplyRowTile(
        Rows7.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    case 6:
      multiplyRowTile(
        Rows6.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    case 5:
      multiplyRowTile(
        Rows5.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    case 4:
      multiplyRowTile(
        Rows4.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    case 3:
      multiplyRowTile(
        Rows3.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    case 2:
      multiplyRowTile(
        Rows2.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    default:
      multiplyRowTile(
        Rows1.self, a, lda: lda, rowOffset: rowOffset, block: block, b: b, pairs: pairs,
        rest: rest, c: c, ldc: ldc, epilogue: epilogue)
    }
  }

  /// One row tile across `pairs` (whole panel pairs) and `rest` (at most one panel, maybe
  /// partial), for one K block. `a` points at the tile's first row and the block's first k;
  /// `c` at the tile's first row, column 0 of B.
  @inline(never)
  static func multiplyRowTile<R: TileRows>(
    _: R.Type, _ a: UnsafePointer<Float>, lda: Int, rowOffset: Int, block: KBlock,
    b: GEMMPanels, pairs: Range<Int>, rest: Range<Int>, c: UnsafeMutablePointer<Float>, ldc: Int,
    epilogue: GEMMEpilogue
  ) {
    let rows = R.count
    let bBlock = b.base + block.kOffset * b.rowStride
    let relu = block.last && epilogue.relu
    var j = pairs.lowerBound
    while j < pairs.upperBound {
      GEMMTile12x32.run(
        start: block.first ? epilogue.start12x32(row: rowOffset, column: j) : .partialSums, a,
        lda: lda, rows: rows, kc: block.kc, taps: .single, bBlock + (j / nr) * b.panelStride,
        panelStride: b.panelStride, bStride: b.rowStride, relu: relu, c: c + j, ldc: ldc)
      j += 2 * nr
    }
    while j < rest.upperBound {
      let nLen = min(nr, rest.upperBound - j)
      let cp = c + j
      var tile =
        block.first
        ? epilogue.initialTile12x16(row: rowOffset, rows: rows, column: j)
        : GEMMTile12x16(loading: cp, ldc: ldc, rows: rows, columns: nLen)
      tile.accumulate(
        a, lda: lda, rows: rows, kc: block.kc, bBlock + (j / nr) * b.panelStride,
        bStride: b.rowStride)
      if block.last && epilogue.relu { tile.applyReLU() }
      tile.store(to: cp, ldc: ldc, rows: rows, columns: nLen)
      j += nr
    }
  }
}

/// A row count of a register tile, as a type, so that `GEMM.multiplyRowTile` is specialised
/// for each: the count is a constant in every copy and the missing rows' code folds away.
protocol TileRows { static var count: Int { get } }
enum Rows1: TileRows { static var count: Int { 1 } }
enum Rows2: TileRows { static var count: Int { 2 } }
enum Rows3: TileRows { static var count: Int { 3 } }
enum Rows4: TileRows { static var count: Int { 4 } }
enum Rows5: TileRows { static var count: Int { 5 } }
enum Rows6: TileRows { static var count: Int { 6 } }
enum Rows7: TileRows { static var count: Int { 7 } }
enum Rows8: TileRows { static var count: Int { 8 } }
enum Rows9: TileRows { static var count: Int { 9 } }
enum Rows10: TileRows { static var count: Int { 10 } }
enum Rows11: TileRows { static var count: Int { 11 } }
enum Rows12: TileRows { static var count: Int { 12 } }
