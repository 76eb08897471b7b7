import ConvKernels

/// Single-precision GEMM with a fused bias + ReLU epilogue, for pointwise and KxK convolution.
///
/// `GEMM.multiply` computes, on the calling thread only,
///
///     C[i][j] = epilogue( sum over k of A[i][k] * B[k][j] )   for i in 0..<rows, j in columns
///
/// - A: `rows x depth`, row-major, row stride `lda` (>= depth), read with broadcasts straight
///   from memory (never packed). In NHWC this is the activations: one pixel per row, channels
///   along the row — e.g. the output rows of a depthwise stage, for a fused dw+pw block.
/// - B: `depth x N` as 16-column panels (`GEMMPanels`): the weights Wᵀ packed once in
///   `prepare` (`GEMMPackedWeights`), activations packed by the kernel (`GEMMPacking`), or a
///   row-major matrix whose rows are padded to a multiple of 16 (the NCHW im2col block).
/// - C: row stride `ldc`; element (i, j) is at `c + i * ldc + j` (j counts from B's column 0,
///   so a column block `columns` writes `c[i * ldc + columns.lowerBound ..< upperBound]`).
///   Only `rows x columns` elements are written, and only they are read (for K blocks after
///   the first); C needs no padding and may be the final output tensor.
/// - Epilogue (`GEMMEpilogue`): the accumulators start at the bias (per column = NHWC output
///   channel, or per row = NCHW output channel), then ReLU is applied before the last store.
///   That is BN folded into the weights: `w' = w * scale[oc]`, `bias = shift[oc]`.
///
/// Blocking. Register tiles of 12 ymm accumulators. Every pair of whole 16-column panels goes
/// to the 3x32 tile (`GEMMTile3x32`: 7 loads per 12 FMAs, against 8 for 6x16; its header says
/// why that counts). The columns after the last pair (an odd panel, a partial one) go to the
/// 6x16 tile (`GEMMTile6x16`), with 5x16 tiles (`GEMMTile5x16`) where 6 does not divide the
/// rows (`rowTilePlan`: 49 rows, a 7x7 image, run as 4 x 6 + 5 x 5 instead of nine 6-row tiles
/// of which one holds a single row). For the pairs, a last single row goes to the one-row tile
/// (`GEMMTile1x64`), so 49 rows run as 16 x 3 + 1 without computing 51, and a 7-pixel tile of
/// the fused block on 2 threads as 2 x 3 + 1, not 9. A last pair of rows goes to the two-row
/// tile (`GEMMTile2x32`), so a 56-pixel tile of the fused 14x14 blocks runs as 18 x 3 + 2, not
/// 57; the 3-row tiles then always hold 3 rows, and their loop has no row tests. Against a
/// 3-row tile for the pair, with its row tests in every 3-row tile (e67cb3a against b715032),
/// `sepbench ab --base B --head H --suite mobilenet-v1 --ops pw,sep_block --variants
/// packed-gemm,fused,bn-folded --layouts nhwc --threads 1 --metric instructions --blocks 2`
/// counted 0.2-4.8 % fewer instructions on every one of the 39 cases: the row tests' share
/// falls with K (b01 pw, whose rows never leave a pair, 4.8 %; b02 1.4 %), and the 14x14 fused
/// blocks, whose 56-pixel tiles take the two-row tile, 0.8 %. The same command timed (`--threads
/// 1,2 --blocks 8`, no `--metric`) on a noisy Zen 3 host found none of 78 cases slower. Against
/// the 3-row tile for a single row, `sepbench ab --suite mobilenet-v1 --ops pw,sep_block
/// --variants packed-gemm,fused,bn-folded,unfused --layouts nhwc --threads 1,2 --blocks 8`
/// (Zen 3) measured the 2-thread fused blocks of the 7x7 layers 8-10 % faster, the 14x14 ones
/// 2-3 % and the 7x7 pw 2-3 % on 1 thread, and none of the 104 cases slower. Moving the pairs from
/// 6x16 to 3x32 changed the 13 MobileNetV1 shapes by these median ratios of time (`sepbench
/// ab`, 8 pairs of blocks, Zen 3; below 1 is faster): pw NHWC 0.95 (0.83-0.99) on 1 thread,
/// 0.95 on 2; sep_block fused 0.93 (0.80-0.96) and 0.97; bn-folded 0.92 and 0.96; Winograd conv
/// 0.92-0.94; im2col conv 0.94-0.98. On 2 threads the 7x7 pw and bn-folded blocks were 8-17 %
/// slower (intervals of +-15 %), where the fused block was 20-23 % faster.
///
/// K is split into `ceil(depth / 512)` nearly equal blocks (`kc <= 512`): one A tile (3 x kc
/// floats for a pair, 6 x kc for the 6x16 tile; <= 12 KiB) stays in L1 while a B block streams
/// from L2. Columns are blocked by `nc = 128` (a B block of kc x nc floats, <= 256 KiB: half of
/// a Zen 3 L2, which every 3-row tile streams). Against 256, `sepbench ab` over the 13
/// MobileNetV1 shapes measured pw and sep_block NHWC at median time ratios of 0.97-0.98 on 2
/// threads and 0.98-1.00 on 1, none above 1.05. A K block of 512 rather than 256 halves the
/// passes over C for K = 512 and 1024 (the 14x14 and 7x7 layers): `sepbench ab` on Zen 3
/// measured pw, sep_block and conv_block 3-9 % faster there and no shape slower (and again
/// 1-6 % with the 3x32 tile). Loop order: column block, K block, row tile (3 rows, then 1 or
/// 2; 6 or 5 for the columns after the pairs), panel pair or panel. Partial K sums are kept in
/// C between K blocks.
///
/// Tails. Rows: the pairs take whole 3-row tiles, then the one- or two-row tile; in the 6x16
/// tile, missing rows alias the last real row and their results are never stored. Columns: B
/// panels are zero-padded to 16; partial tiles are loaded and stored element by element.
/// Nothing outside A[0..<rows][0..<depth], the B panels and the C elements named above is
/// touched. Each element sums the same products in the same order whichever tile computes it,
/// so all five tiles give bitwise equal results.
///
/// Threads. `multiply` never synchronises; callers split the output, never K: row blocks
/// (`a + r0 * lda`, `c + r0 * ldc`, per-row bias `+ r0`) or column blocks (`columns` starting
/// at a multiple of 16) across `WorkerPool.run(tasks:)`. Every element is computed with the
/// same K blocks in the same order whatever the split, so results are bitwise identical for
/// any thread count.
package enum GEMM {
  /// Rows of the 6x16 register tile.
  static let mr = 6
  /// Width of a B panel: the columns of the 6x16 tile (the 3x32 tile takes two panels).
  static let nr = 16
  /// Largest K block.
  static let kcMax = 512
  /// Columns per L2 block: a multiple of `2 * nr`, so that only the last block of a call can
  /// leave an odd panel to the 6x16 tile.
  static let nc = 128

  /// K blocks: `ceil(depth / kcMax)` blocks of nearly equal length. Only where partial sums
  /// meet memory depends on it, never a result (a partial sum is stored and reloaded
  /// unchanged).
  @inline(__always)
  static func kBlock(depth: Int) -> Int {
    let blocks = (depth + kcMax - 1) / kcMax
    return (depth + blocks - 1) / blocks
  }

  /// `rows` as `sixes` 6-row tiles followed by `fives` 5-row tiles, exactly when possible
  /// (every count >= 20); otherwise ceil(rows / 6) 6-row tiles, the last one partial.
  @inline(__always)
  static func rowTilePlan(_ rows: Int) -> (sixes: Int, fives: Int) {
    let fives = (mr - rows % mr) % mr
    if fives * 5 <= rows { return ((rows - fives * 5) / mr, fives) }
    return ((rows + mr - 1) / mr, 0)
  }

  /// `C[0..<rows][columns] = epilogue(A[0..<rows][0..<depth] · B[0..<depth][columns])` on the
  /// calling thread (see the type's discussion for layouts).
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
    assert(nc % (2 * nr) == 0)
    let kc = kBlock(depth: depth)
    let (sixes, fives) = rowTilePlan(rows)
    var n0 = columns.lowerBound
    while n0 < columns.upperBound {
      let n1 = min(columns.upperBound, n0 + nc)
      // Pairs of whole panels go to the 3x32 tile, the columns after them to the 6x16 tile.
      let pairEnd = n0 + (n1 - n0) / (2 * nr) * (2 * nr)
      var k0 = 0
      while k0 < depth {
        let kLen = min(kc, depth - k0)
        let first = k0 == 0
        let last = k0 + kLen == depth
        if pairEnd > n0 {
          // Whole 3-row tiles, then a last single row to the one-row tile or a last pair of
          // rows to the two-row tile.
          let threeRowEnd = rows - rows % 3
          var i = 0
          while i < threeRowEnd {
            let a0 = a + i * lda + k0
            multiplyRowTile3(
              a0, a0 + lda, a0 + 2 * lda, rowOffset: i, kc: kLen, kOffset: k0, b: b,
              columns: n0..<pairEnd, c: c + i * ldc, ldc: ldc, epilogue: epilogue, first: first,
              last: last)
            i += 3
          }
          let tail = a + threeRowEnd * lda + k0
          if rows - threeRowEnd == 1 {
            multiplyRowTile1(
              tail, rowOffset: threeRowEnd, kc: kLen, kOffset: k0, b: b, columns: n0..<pairEnd,
              c: c + threeRowEnd * ldc, epilogue: epilogue, first: first, last: last)
          } else if rows - threeRowEnd == 2 {
            multiplyRowTile2(
              tail, tail + lda, rowOffset: threeRowEnd, kc: kLen, kOffset: k0, b: b,
              columns: n0..<pairEnd, c: c + threeRowEnd * ldc, ldc: ldc, epilogue: epilogue,
              first: first, last: last)
          }
        }
        if pairEnd < n1 {
          var i = 0
          for _ in 0..<sixes {
            let mLen = min(mr, rows - i)
            let a0 = a + i * lda + k0
            let aLast = a0 + (mLen - 1) * lda
            multiplyRowTile(
              a0, mLen > 1 ? a0 + lda : aLast, mLen > 2 ? a0 + 2 * lda : aLast,
              mLen > 3 ? a0 + 3 * lda : aLast, mLen > 4 ? a0 + 4 * lda : aLast, aLast,
              rows: mLen, rowOffset: i, kc: kLen, kOffset: k0, b: b, columns: pairEnd..<n1,
              c: c + i * ldc, ldc: ldc, epilogue: epilogue, first: first, last: last)
            i += mr
          }
          for _ in 0..<fives {
            let a0 = a + i * lda + k0
            multiplyRowTile5(
              a0, a0 + lda, a0 + 2 * lda, a0 + 3 * lda, a0 + 4 * lda, rowOffset: i, kc: kLen,
              kOffset: k0, b: b, columns: pairEnd..<n1, c: c + i * ldc, ldc: ldc,
              epilogue: epilogue, first: first, last: last)
            i += 5
          }
        }
        k0 += kLen
      }
      n0 = n1
    }
  }

  /// One 3-row tile (three real rows) across `columns`, whose length is a multiple of 32, for
  /// one K block.
  @inline(__always)
  static func multiplyRowTile3(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    rowOffset: Int, kc: Int, kOffset: Int, b: GEMMPanels, columns: Range<Int>,
    c: UnsafeMutablePointer<Float>, ldc: Int, epilogue: GEMMEpilogue, first: Bool, last: Bool
  ) {
    var j = columns.lowerBound
    while j < columns.upperBound {
      let cp = c + j
      var tile =
        first
        ? epilogue.initialTile3x32(row: rowOffset, rows: 3, column: j)
        : GEMMTile3x32(loading: cp, ldc: ldc)
      tile.accumulate(
        a0, a1, a2, kc: kc, b.base + (j / nr) * b.panelStride + kOffset * b.rowStride,
        panelStride: b.panelStride, bStride: b.rowStride)
      if last && epilogue.relu { tile.applyReLU() }
      tile.store(to: cp, ldc: ldc, rows: 3)
      j += 2 * nr
    }
  }

  /// The two-row tile across `columns`, whose length is a multiple of 32, for one K block.
  @inline(__always)
  static func multiplyRowTile2(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, rowOffset: Int, kc: Int,
    kOffset: Int, b: GEMMPanels, columns: Range<Int>, c: UnsafeMutablePointer<Float>, ldc: Int,
    epilogue: GEMMEpilogue, first: Bool, last: Bool
  ) {
    var j = columns.lowerBound
    while j < columns.upperBound {
      let cp = c + j
      var tile =
        first
        ? epilogue.initialTile2x32(row: rowOffset, column: j)
        : GEMMTile2x32(loading: cp, ldc: ldc)
      tile.accumulate(
        a0, a1, kc: kc, b.base + (j / nr) * b.panelStride + kOffset * b.rowStride,
        panelStride: b.panelStride, bStride: b.rowStride)
      if last && epilogue.relu { tile.applyReLU() }
      tile.store(to: cp, ldc: ldc)
      j += 2 * nr
    }
  }

  /// The one-row tile across `columns`, whose length is a multiple of 32, for one K block:
  /// 64 columns at a time, then a last 32.
  @inline(__always)
  static func multiplyRowTile1(
    _ a: UnsafePointer<Float>, rowOffset: Int, kc: Int, kOffset: Int, b: GEMMPanels,
    columns: Range<Int>, c: UnsafeMutablePointer<Float>, epilogue: GEMMEpilogue, first: Bool,
    last: Bool
  ) {
    var j = columns.lowerBound
    while j < columns.upperBound {
      let pairs = columns.upperBound - j >= 4 * nr ? 2 : 1
      let cp = c + j
      var tile =
        first
        ? epilogue.initialTile1x64(row: rowOffset, column: j, pairs: pairs)
        : GEMMTile1x64(loading: cp, pairs: pairs)
      tile.accumulate(
        a, kc: kc, pairs: pairs, b.base + (j / nr) * b.panelStride + kOffset * b.rowStride,
        panelStride: b.panelStride, bStride: b.rowStride)
      if last && epilogue.relu { tile.applyReLU() }
      tile.store(to: cp, pairs: pairs)
      j += 2 * pairs * nr
    }
  }

  /// One 6-row tile across `columns`, for one K block. `a0...a5` already point at the block's
  /// first k; `c` at row 0 of the tile, column 0 of B.
  @inline(__always)
  static func multiplyRowTile(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, _ a5: UnsafePointer<Float>,
    rows mLen: Int, rowOffset: Int, kc: Int, kOffset: Int, b: GEMMPanels, columns: Range<Int>,
    c: UnsafeMutablePointer<Float>, ldc: Int, epilogue: GEMMEpilogue, first: Bool, last: Bool
  ) {
    var j = columns.lowerBound
    while j < columns.upperBound {
      let nLen = min(nr, columns.upperBound - j)
      let full = mLen == mr && nLen == nr
      let cp = c + j
      var tile =
        first
        ? epilogue.initialTile(row: rowOffset, rows: mLen, column: j)
        : full
          ? GEMMTile6x16(loading: cp, ldc: ldc)
          : GEMMTile6x16(loading: cp, ldc: ldc, rows: mLen, columns: nLen)
      tile.accumulate(
        a0, a1, a2, a3, a4, a5, kc: kc, b.base + (j / nr) * b.panelStride + kOffset * b.rowStride,
        bStride: b.rowStride)
      if last && epilogue.relu { tile.applyReLU() }
      if full {
        tile.store(to: cp, ldc: ldc)
      } else {
        tile.store(to: cp, ldc: ldc, rows: mLen, columns: nLen)
      }
      j += nr
    }
  }

  /// One 5-row tile (always 5 real rows) across `columns`, for one K block; as
  /// `multiplyRowTile`.
  @inline(__always)
  static func multiplyRowTile5(
    _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, rowOffset: Int, kc: Int,
    kOffset: Int, b: GEMMPanels, columns: Range<Int>, c: UnsafeMutablePointer<Float>, ldc: Int,
    epilogue: GEMMEpilogue, first: Bool, last: Bool
  ) {
    var j = columns.lowerBound
    while j < columns.upperBound {
      let nLen = min(nr, columns.upperBound - j)
      let cp = c + j
      var tile =
        first
        ? GEMMTile5x16(rowsOf: epilogue.initialTile(row: rowOffset, rows: 5, column: j))
        : nLen == nr
          ? GEMMTile5x16(loading: cp, ldc: ldc)
          : GEMMTile5x16(loading: cp, ldc: ldc, columns: nLen)
      tile.accumulate(
        a0, a1, a2, a3, a4, kc: kc,
        b.base + (j / nr) * b.panelStride + kOffset * b.rowStride, bStride: b.rowStride)
      if last && epilogue.relu { tile.applyReLU() }
      if nLen == nr {
        tile.store(to: cp, ldc: ldc)
      } else {
        tile.store(to: cp, ldc: ldc, columns: nLen)
      }
      j += nr
    }
  }
}
