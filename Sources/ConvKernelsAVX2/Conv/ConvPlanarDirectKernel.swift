import ConvKernels

/// A KxK convolution with bias and optional ReLU that reads an NCHW input in place and writes
/// an NHWC output: the first layer of an NHWC network, without the gathered rows of
/// `ConvPlanarInputKernel`.
///
/// The GEMM's register tiles run with their A rows read straight from the image
/// (`OffsetDepth`). A row is an output pixel, starting at the top-left input of its
/// receptive field; element k = (c, y, x) of every row sits at the same offset from that
/// start, `c · H · W + y · W + x`, kept in a table of C_in·KH·KW offsets. So a k step loads one
/// offset and then, as in the GEMM, broadcasts one input per pixel and multiplies it with the
/// packed weights of that k. The gather of `ConvPlanarInputKernel` wrote and read every
/// element once more: for an RGB stem (K = 27, 32 channels) as many loads and stores again as
/// the tile's own broadcasts and weight loads.
///
/// Pixels go in groups of 6, in NHWC order across row ends: two 3x32 tiles for each pair of
/// whole 16-column panels, one 6x16 tile for the columns after the pairs. Where each pixel's
/// field starts is worked out once, at preparation (`fieldStarts`), so a group reads six
/// offsets rather than stepping through rows, columns and padding checks. A group with a pixel
/// whose field crosses the padding is gathered whole into a small workspace first
/// (`Im2col.rowsPlanar`, zeros for the padding) and read as contiguous rows (through the
/// offsets 0, 1, 2, ...); in a 224x224 stride-2 stem, the groups that hold the first output
/// row or a pixel of the first output column: 129 of 2091 groups, 6 % of the pixels. Every
/// element starts at its bias and adds its products in k order in one pass (the GEMM's K
/// blocks only store and reload the partial sums), so the output is bitwise equal to
/// `ConvPlanarInputKernel`'s, on any thread count.
///
/// Threads split the output pixels (in whole groups) or the channels (`OutputSplit`, its axis
/// chosen for `threads`), into up to `OutputSplit.balancingTasksPerThread` tasks per thread.
package final class ConvPlanarDirectKernel: PreparedKernel {
  let problem: ConvProblem
  let pool: WorkerPool
  let packed: GEMMPackedWeights
  let relu: Bool
  let split: OutputSplit
  /// `2 · depth` offsets: first, of element k of a receptive field from its top-left input;
  /// then 0, 1, ..., depth - 1, element k of a gathered row.
  let offsets: UnsafeMutablePointer<Int>
  /// Per task, one group of gathered rows.
  let workspace: AlignedBuffer
  /// Per output pixel (flat over n, oh, ow): where its receptive field starts, in floats from
  /// the start of the input, or -1 where the field crosses the padding.
  let fieldStarts: UnsafeMutablePointer<Int32>

  /// Output pixels per group: the rows of the 6x16 tile, two 3x32 tiles; `OutputSplit.planarStem`
  /// splits pixels in whole groups.
  static let groupPixels = GEMM.mr

  /// - Parameters:
  ///   - problem: a convolution with `groups == 1`.
  ///   - weights: OIHW, `outChannels x (inChannels · kernelH · kernelW)`.
  ///   - bias: one value per output channel, or nil.
  package init(
    _ problem: ConvProblem, threads: Int, pool: WorkerPool, weights: [Float], bias: [Float]?,
    relu: Bool
  ) {
    self.problem = problem
    self.pool = pool
    self.relu = relu
    packed = GEMMPackedWeights(planarStem: problem, weights: weights, bias: bias)
    split = .planarStem(problem, threads: threads)
    let depth = packed.depth
    offsets = .allocate(capacity: 2 * depth)
    let plane = problem.height * problem.width
    var k = 0
    for c in 0..<problem.inChannels {
      for y in 0..<problem.kernelH {
        for x in 0..<problem.kernelW {
          offsets[k] = c * plane + y * problem.width + x
          k += 1
        }
      }
    }
    for k in 0..<depth { offsets[depth + k] = k }
    precondition(problem.inputCount <= Int(Int32.max), "an input of at most 2^31 - 1 floats")
    let pixels = problem.batch * problem.outHeight * problem.outWidth
    fieldStarts = .allocate(capacity: pixels)
    var pixel = OutputPixelCursor(0, of: problem)
    for q in 0..<pixels {
      let (ih0, iw0) = pixel.fieldOrigin(problem)
      fieldStarts[q] =
        pixel.fieldIsInside(problem)
        ? Int32((pixel.n * problem.inChannels * problem.height + ih0) * problem.width + iw0) : -1
      pixel.advance(in: problem)
    }
    workspace = AlignedBuffer(count: split.tasks * Self.groupPixels * depth)
  }

  deinit {
    offsets.deallocate()
    fieldStarts.deallocate()
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = problem
    let depth = packed.depth
    let split = self.split
    let workspace = self.workspace.pointer
    let panels = packed.panels
    let epilogue = GEMMEpilogue(bias: packed.bias.map { .perColumn($0) } ?? .none, relu: relu)
    let fieldOffsets = UnsafePointer(offsets)
    let rowOffsets = fieldOffsets + depth
    let fieldStarts = UnsafePointer(self.fieldStarts)
    pool.run(tasks: split.tasks) { task in
      let pixels = split.rowRange(task)
      let columns = split.columnRange(task)
      let gathered = workspace + task * Self.groupPixels * depth
      var q0 = pixels.lowerBound
      while q0 < pixels.upperBound {
        let rows = min(Self.groupPixels, pixels.upperBound - q0)
        // The fields of the group's pixels; a missing row repeats the last real one.
        let field = fieldStarts + q0
        let last = rows - 1
        let (f0, f1, f2) = (field[0], field[min(1, last)], field[min(2, last)])
        let (f3, f4, f5) = (field[min(3, last)], field[min(4, last)], field[last])
        // Read in place, or from the group's gathered rows where a field crosses the padding.
        let starts: GroupStarts
        let offsets: UnsafePointer<Int>
        if min(f0, f1, f2, f3, f4, f5) >= 0 {
          starts = (
            src + Int(f0), src + Int(f1), src + Int(f2), src + Int(f3), src + Int(f4),
            src + Int(f5)
          )
          offsets = fieldOffsets
        } else {
          Im2col.rowsPlanar(p, src, pixels: q0..<q0 + rows, into: gathered)
          func rowStart(_ i: Int) -> UnsafePointer<Float> {
            UnsafePointer(gathered + min(i, rows - 1) * depth)
          }
          starts = (rowStart(0), rowStart(1), rowStart(2), rowStart(3), rowStart(4), rowStart(5))
          offsets = rowOffsets
        }
        Self.multiplyGroup(
          starts, rows: rows, depth: OffsetDepth(offsets: offsets), kc: depth, b: panels,
          columns: columns, c: dst + q0 * p.outChannels, ldc: p.outChannels, epilogue: epilogue)
        q0 += rows
      }
    }
  }

  /// Six A row starts: a group's output pixels.
  typealias GroupStarts = (
    UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
    UnsafePointer<Float>, UnsafePointer<Float>
  )

  /// C rows 0..<rows (1...6) at `c`, `columns` of B: two 3x32 tiles per pair of whole panels,
  /// one 6x16 tile (partial in rows or columns where it must) for the columns after the pairs.
  @inline(__always)
  static func multiplyGroup(
    _ a: GroupStarts, rows: Int, depth: OffsetDepth, kc: Int, b: GEMMPanels,
    columns: Range<Int>, c: UnsafeMutablePointer<Float>, ldc: Int, epilogue: GEMMEpilogue
  ) {
    let pairEnd = columns.lowerBound + columns.count / (2 * GEMM.nr) * (2 * GEMM.nr)
    var j = columns.lowerBound
    while j < pairEnd {
      let panel = b.base + (j / GEMM.nr) * b.panelStride
      var top = epilogue.initialTile3x32(row: 0, rows: min(3, rows), column: j)
      top.accumulate(
        a.0, a.1, a.2, depth: depth, kc: kc, panel, panelStride: b.panelStride,
        bStride: b.rowStride)
      if epilogue.relu { top.applyReLU() }
      top.store(to: c + j, ldc: ldc, rows: min(3, rows))
      if rows > 3 {
        var bottom = epilogue.initialTile3x32(row: 3, rows: rows - 3, column: j)
        bottom.accumulate(
          a.3, a.4, a.5, depth: depth, kc: kc, panel, panelStride: b.panelStride,
          bStride: b.rowStride)
        if epilogue.relu { bottom.applyReLU() }
        bottom.store(to: c + 3 * ldc + j, ldc: ldc, rows: rows - 3)
      }
      j += 2 * GEMM.nr
    }
    while j < columns.upperBound {
      let width = min(GEMM.nr, columns.upperBound - j)
      var tile = epilogue.initialTile(row: 0, rows: rows, column: j)
      tile.accumulate(
        a.0, a.1, a.2, a.3, a.4, a.5, depth: depth, kc: kc,
        b.base + (j / GEMM.nr) * b.panelStride, bStride: b.rowStride)
      if epilogue.relu { tile.applyReLU() }
      if rows == GEMM.mr && width == GEMM.nr {
        tile.store(to: c + j, ldc: ldc)
      } else {
        tile.store(to: c + j, ldc: ldc, rows: rows, columns: width)
      }
      j += GEMM.nr
    }
  }
}
