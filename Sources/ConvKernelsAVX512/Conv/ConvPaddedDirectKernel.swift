import ConvKernels

/// KxK convolution in NHWC as one sum of per-tap GEMMs per register tile, over a zero-padded
/// copy of the input, with an optional per-channel bias + ReLU epilogue (BN folded).
///
/// Why padded: in a padded NHWC image the input of output pixel `ow`, tap (kh, kw), starts at
/// `row(oh * s + kh) + (ow * s + kw) * C_in`, so the pixels of one output row are an affine A
/// (row stride `s * C_in`) for every tap: a run of output pixels is exactly the A of
/// `GEMMTile12x32.run`, with no pointer table and no border path. The copy (the image
/// into the interior of a buffer whose border stays zero from `init`) is part of the timed
/// run; it moves `H x W x C_in` floats, against `9 x C_out` FMAs per input float. With
/// `planarInput` the source is NCHW and the copy gathers each pixel's channels from the planes:
/// the stem of an NHWC network then takes the image as it comes, and the network's reorder
/// pass and the copy become one pass.
///
/// Tile: up to 12 output pixels x 32 output channels (two weight panels; 16 for an odd last
/// panel). At stride 1 the pixels of a block of rows form one affine run over the padded
/// width (`computeRuns`), so tiles span rows and are full; at stride 2 a tile stays within one
/// output row (`computeRows`: a 14-wide row as 7 + 7). A pair tile is one `GEMMTile12x32.run`
/// over the K x K taps in (kh, kw) order, C_in steps each: it starts at the bias, the
/// accumulators stay in registers across all `KH x KW x C_in` steps, and C is written once.
///
/// Blocking: output rows in blocks whose input (about `(rows x s + KH) x W x C_in` floats)
/// stays within `blockInputFloats`, then panel pairs, then the block's rows and tiles, so each
/// pair's `KH x KW x C_in x 32` weights are read from L2 for a whole block of rows.
///
/// Threads: output rows (or, when rows are few, 32-channel column blocks: `OutputSplit`)
/// split across four tasks per thread after the copy (`sepbench ab --base <dc494fe build>
/// --head <5a99f17 build> --suite mobilenet-v1 --ops conv_block --variants bn-folded-avx512
/// --layouts nhwc --threads 2 --blocks 30` on the Sapphire Rapids-class Xeon: conv_block 6 %
/// faster on 28x28x256 and 14x14x512 than one task per thread, the stem within noise); every
/// output sums the same products in the same order
/// whatever the split, so results are bitwise identical for any thread count.
package final class ConvPaddedDirectKernel: PreparedKernel {
  let problem: ConvProblem
  let pool: WorkerPool
  /// Wᵀ in (kh, kw, ic) order: depth `KH x KW x C_in`, one tap every `C_in` rows.
  let packed: GEMMPackedWeights
  /// The packed bias (if any) and ReLU.
  let epilogue: GEMMEpilogue
  /// `[N][H + 2 pad][W + 2 pad][C_in]`, border zero.
  let padded: AlignedBuffer
  let paddedHeight: Int
  let paddedWidth: Int
  let split: OutputSplit
  /// Output rows per block.
  let blockRows: Int
  let copyTasks: Int
  /// Whether `run`'s source is NCHW rather than NHWC.
  let planarInput: Bool

  /// Input floats a block of output rows may read (512 KiB: a quarter of a 2 MiB L2).
  static let blockInputFloats = 128 * 1024

  package init(
    _ problem: ConvProblem, threads: Int, pool: WorkerPool, weights: [Float], bias: [Float]?,
    relu: Bool, planarInput: Bool = false
  ) {
    precondition(problem.groups == 1, "groups \(problem.groups)")
    self.problem = problem
    self.planarInput = planarInput
    self.pool = pool
    let p = problem
    packed = GEMMPackedWeights(
      transposing: Im2col.weightsOHWI(p, weights), depth: p.kernelH * p.kernelW * p.inChannels,
      columns: p.outChannels, bias: bias)
    epilogue = GEMMEpilogue(bias: packed.bias.map { .perColumn($0) } ?? .none, relu: relu)
    paddedHeight = p.height + 2 * p.pad
    paddedWidth = p.width + 2 * p.pad
    padded = AlignedBuffer(count: p.batch * paddedHeight * paddedWidth * p.inChannels)
    split = OutputSplit(
      rows: p.batch * p.outHeight, rowQuantum: 1, columns: p.outChannels,
      columnQuantum: 2 * GEMM.nr, threads: threads,
      tasksPerThread: OutputSplit.balancingTasksPerThread)
    let rowInput = p.stride * paddedWidth * p.inChannels
    blockRows = max(1, Self.blockInputFloats / rowInput)
    copyTasks = min(threads, p.batch * p.height)
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = problem
    let rowFloats = p.width * p.inChannels
    let planeFloats = p.height * p.width
    let imageRows = p.batch * p.height
    let copy = RowPartition(total: imageRows, parts: copyTasks)
    let padded = padded.pointer
    let (paddedHeight, pad) = (paddedHeight, p.pad)
    let planarInput = self.planarInput
    pool.run(tasks: copyTasks) { task in
      for row in copy.range(task) {
        let (n, h) = row.quotientAndRemainder(dividingBy: p.height)
        let to = padded + ((n * paddedHeight + h + pad) * paddedWidth + pad) * p.inChannels
        if planarInput {
          PlaneInterleave.copy(
            src + n * p.inChannels * planeFloats + h * p.width, planeStride: planeFloats,
            channels: p.inChannels, pixels: p.width, into: to)
        } else {
          to.update(from: src + row * rowFloats, count: rowFloats)
        }
      }
    }
    pool.run(tasks: split.tasks) { task in
      compute(rows: split.rowRange(task), columns: split.columnRange(task), dst: dst)
    }
  }

  /// Output rows `rows` (image-major: row `n * outHeight + oh`) and channels `columns`.
  func compute(rows: Range<Int>, columns: Range<Int>, dst: UnsafeMutablePointer<Float>) {
    let p = problem
    let geometry = TapGeometry(
      kernelH: p.kernelH, kernelW: p.kernelW, channels: p.inChannels,
      rowStride: paddedWidth * p.inChannels)
    withUnsafeTemporaryAllocation(of: Float.self, capacity: GEMM.mr * 2 * GEMM.nr) { scratch in
      var r0 = rows.lowerBound
      while r0 < rows.upperBound {
        // A block never crosses an image: its output rows share one padded image.
        let imageEnd = (r0 / p.outHeight + 1) * p.outHeight
        let r1 = min(rows.upperBound, r0 + blockRows, imageEnd)
        if p.stride == 1 {
          computeRuns(r0..<r1, columns, geometry, dst, scratch: scratch.baseAddress!)
        } else {
          computeRows(r0..<r1, columns, geometry, dst)
        }
        r0 = r1
      }
    }
  }

  /// Stride 1: the block's output pixels as one run over the padded width. Pixel (oh, ow) is
  /// run position `oh * paddedWidth + ow`, and its input sits at that position times C_in, so
  /// the whole run is one affine A (row stride C_in) and a tile of 12 spans output rows. The
  /// `paddedWidth - outWidth` positions at the end of each row are computed and dropped: tiles
  /// are stored to `scratch` and only real pixels are copied out. On 14x14 this computes 16
  /// positions per 14 pixels but fills every tile (12 rows where a row alone gives 7 + 7).
  func computeRuns(
    _ rows: Range<Int>, _ columns: Range<Int>, _ g: TapGeometry, _ dst: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>
  ) {
    let p = problem
    let cout = p.outChannels
    let (n, oh0) = rows.lowerBound.quotientAndRemainder(dividingBy: p.outHeight)
    let oh1 = oh0 + rows.count
    let image = UnsafePointer(padded.pointer) + n * paddedHeight * g.rowStride
    let first = oh0 * paddedWidth
    let positions = (oh1 - 1) * paddedWidth + p.outWidth - first
    let tiles = GEMM.rowTiles(positions)
    let panels = packed.panels
    let pairEnd = columns.lowerBound + columns.count / (2 * GEMM.nr) * (2 * GEMM.nr)
    let ldc = 2 * GEMM.nr
    var j = columns.lowerBound
    while j < columns.upperBound {
      let width = j < pairEnd ? 2 * GEMM.nr : min(GEMM.nr, columns.upperBound - j)
      let b = panels.base + (j / GEMM.nr) * panels.panelStride
      var q = first
      for tile in 0..<tiles.count {
        let m = tiles.size + (tile < tiles.larger ? 1 : 0)
        Self.tile(
          rows: m, a: image + q * g.channels, lda: g.channels, g, b: b,
          panelStride: panels.panelStride, c: scratch, ldc: ldc, column: j, columns: width,
          epilogue: epilogue)
        for r in 0..<m {
          let (oh, ow) = (q + r).quotientAndRemainder(dividingBy: paddedWidth)
          guard ow < p.outWidth else { continue }
          let out = dst + ((n * p.outHeight + oh) * p.outWidth + ow) * cout + j
          out.update(from: scratch + r * ldc, count: width)
        }
        q += m
      }
      j += width
    }
  }

  /// Any stride: tiles of up to 12 pixels within one output row (`GEMM.rowTiles(outWidth)`),
  /// stored straight to `dst`.
  func computeRows(
    _ rows: Range<Int>, _ columns: Range<Int>, _ g: TapGeometry, _ dst: UnsafeMutablePointer<Float>
  ) {
    let p = problem
    let cout = p.outChannels
    let lda = p.stride * g.channels
    let tiles = GEMM.rowTiles(p.outWidth)
    let panels = packed.panels
    let pairEnd = columns.lowerBound + columns.count / (2 * GEMM.nr) * (2 * GEMM.nr)
    var j = columns.lowerBound
    while j < columns.upperBound {
      let width = j < pairEnd ? 2 * GEMM.nr : min(GEMM.nr, columns.upperBound - j)
      let b = panels.base + (j / GEMM.nr) * panels.panelStride
      for row in rows {
        let (n, oh) = row.quotientAndRemainder(dividingBy: p.outHeight)
        let input =
          UnsafePointer(padded.pointer) + (n * paddedHeight + oh * p.stride) * g.rowStride
        var i = 0
        for tile in 0..<tiles.count {
          let m = tiles.size + (tile < tiles.larger ? 1 : 0)
          Self.tile(
            rows: m, a: input + i * lda, lda: lda, g, b: b, panelStride: panels.panelStride,
            c: dst + (row * p.outWidth + i) * cout + j, ldc: cout, column: j, columns: width,
            epilogue: epilogue)
          i += m
        }
      }
      j += width
    }
  }

  /// The kernel window in the padded image: taps in (kh, kw) order, each `channels` floats.
  struct TapGeometry {
    let kernelH: Int
    let kernelW: Int
    let channels: Int
    /// Floats between padded input rows.
    let rowStride: Int
  }

  /// One tile of `rows` (1...12) pixels, 32 columns (a pair) or `columns` (1...16) of one
  /// panel, specialised per row count (`TileRows`).
  static func tile(
    rows: Int, a: UnsafePointer<Float>, lda: Int, _ g: TapGeometry, b: UnsafePointer<Float>,
    panelStride: Int, c: UnsafeMutablePointer<Float>, ldc: Int, column: Int, columns: Int,
    epilogue: GEMMEpilogue
  ) {
    func run<R: TileRows>(_: R.Type) {
      tile(
        R.self, a: a, lda: lda, g, b: b, panelStride: panelStride, c: c, ldc: ldc, column: column,
        columns: columns, epilogue: epilogue)
    }
    switch rows {
    case 12: run(Rows12.self)
    case 11: run(Rows11.self)
    case 10: run(Rows10.self)
    case 9: run(Rows9.self)
    case 8: run(Rows8.self)
    case 7: run(Rows7.self)
    case 6: run(Rows6.self)
    case 5: run(Rows5.self)
    case 4: run(Rows4.self)
    case 3: run(Rows3.self)
    case 2: run(Rows2.self)
    default: run(Rows1.self)
    }
  }

  @inline(never)
  static func tile<R: TileRows>(
    _: R.Type, a: UnsafePointer<Float>, lda: Int, _ g: TapGeometry, b: UnsafePointer<Float>,
    panelStride: Int, c: UnsafeMutablePointer<Float>, ldc: Int, column: Int, columns: Int,
    epilogue: GEMMEpilogue
  ) {
    let rows = R.count
    let tapFloats = g.channels * GEMM.nr
    if columns == 2 * GEMM.nr {
      let taps = TileTaps(
        height: g.kernelH, width: g.kernelW, aRowStride: g.rowStride, aStep: g.channels,
        bStep: tapFloats)
      GEMMTile12x32.run(
        start: epilogue.start12x32(row: 0, column: column), a, lda: lda, rows: rows,
        kc: g.channels, taps: taps, b, panelStride: panelStride, bStride: GEMM.nr,
        relu: epilogue.relu, c: c, ldc: ldc)
    } else {
      var tile = epilogue.initialTile12x16(row: 0, rows: rows, column: column)
      var bTap = b
      for kh in 0..<g.kernelH {
        var aTap = a + kh * g.rowStride
        for _ in 0..<g.kernelW {
          tile.accumulate(aTap, lda: lda, rows: rows, kc: g.channels, bTap, bStride: GEMM.nr)
          aTap += g.channels
          bTap += tapFloats
        }
      }
      if epilogue.relu { tile.applyReLU() }
      tile.store(to: c, ldc: ldc, rows: rows, columns: columns)
    }
  }
}
