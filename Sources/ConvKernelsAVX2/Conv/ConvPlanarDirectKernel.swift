import ConvKernels

/// A KxK convolution with bias and optional ReLU that reads an NCHW input in place and writes
/// an NHWC output: the first layer of an NHWC network, without the gathered rows of
/// `ConvPlanarInputKernel`.
///
/// The GEMM's register tiles run with their A rows read straight from the image
/// (`GatheredDepth`). A row is an output pixel, starting at the top-left input of its
/// receptive field; element k = (c, y, x) of every row sits at the same offset from that
/// start, `c · H · W + y · W + x`, kept in a table of C_in·KH·KW offsets. So a k step loads one
/// offset and then, as in the GEMM, broadcasts one input per pixel and multiplies it with the
/// packed weights of that k. The gather of `ConvPlanarInputKernel` wrote and read every
/// element once more: for an RGB stem (K = 27, 32 channels) as many loads and stores again as
/// the tile's own broadcasts and weight loads.
///
/// Pixels go in groups of 6: two 3x32 tiles for each pair of whole 16-column panels, one 6x16
/// tile for the columns after the pairs. A group with a pixel whose field crosses the padding
/// is gathered into a small workspace first (`Im2col.rowsPlanar`, zeros for the padding) and
/// read as contiguous rows; in a 224x224 stride-2 stem that is the first output row and the
/// first output column, 2 % of the pixels. Every element starts at its bias and adds its
/// products in k order in one pass (the GEMM's K blocks only store and reload the partial
/// sums), so the output is bitwise equal to `ConvPlanarInputKernel`'s, on any thread count.
///
/// Threads split the output pixels (in whole groups) or the channels (`OutputSplit`, its axis
/// chosen for `threads`), into up to `OutputSplit.balancingTasksPerThread` tasks per thread.
package final class ConvPlanarDirectKernel: PreparedKernel {
  let problem: ConvProblem
  let pool: WorkerPool
  let packed: GEMMPackedWeights
  let relu: Bool
  let split: OutputSplit
  /// Offset of element k of a receptive field from its top-left input, for k in 0..<depth.
  let fieldOffsets: [Int]
  /// 0, 1, ..., depth - 1: element k of a gathered row.
  let rowOffsets: [Int]
  /// Per task, one group of gathered rows.
  let workspace: AlignedBuffer

  /// Output pixels per group: the rows of the 6x16 tile, two 3x32 tiles.
  static let groupPixels = GEMM.mr

  /// - Parameters:
  ///   - problem: a convolution with `groups == 1`.
  ///   - weights: OIHW, `outChannels x (inChannels · kernelH · kernelW)`.
  ///   - bias: one value per output channel, or nil.
  package init(
    _ problem: ConvProblem, threads: Int, pool: WorkerPool, weights: [Float], bias: [Float]?,
    relu: Bool
  ) {
    precondition(problem.groups == 1, "a planar-input convolution needs groups = 1")
    self.problem = problem
    self.pool = pool
    self.relu = relu
    let depth = problem.inChannels * problem.kernelH * problem.kernelW
    packed = GEMMPackedWeights(
      transposing: weights, depth: depth, columns: problem.outChannels, bias: bias)
    split = OutputSplit(
      rows: problem.batch * problem.outHeight * problem.outWidth, rowQuantum: Self.groupPixels,
      columns: problem.outChannels, columnQuantum: GEMM.nr,
      threads: threads, tasksPerThread: OutputSplit.balancingTasksPerThread)
    let plane = problem.height * problem.width
    var offsets: [Int] = []
    offsets.reserveCapacity(depth)
    for c in 0..<problem.inChannels {
      for y in 0..<problem.kernelH {
        for x in 0..<problem.kernelW { offsets.append(c * plane + y * problem.width + x) }
      }
    }
    fieldOffsets = offsets
    rowOffsets = Array(0..<depth)
    workspace = AlignedBuffer(count: split.tasks * Self.groupPixels * depth)
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = problem
    let depth = p.inChannels * p.kernelH * p.kernelW
    let split = self.split
    let workspace = self.workspace.pointer
    let panels = packed.panels
    let epilogue = GEMMEpilogue(bias: packed.bias.map { .perColumn($0) } ?? .none, relu: relu)
    let fieldOffsets = self.fieldOffsets
    let rowOffsets = self.rowOffsets
    pool.run(tasks: split.tasks) { task in
      let pixels = split.rowRange(task)
      let columns = split.columnRange(task)
      let gathered = workspace + task * Self.groupPixels * depth
      fieldOffsets.withUnsafeBufferPointer { field in
        rowOffsets.withUnsafeBufferPointer { row in
          var cursor = PixelCursor(pixels.lowerBound, p)
          var q0 = pixels.lowerBound
          while q0 < pixels.upperBound {
            let rows = min(Self.groupPixels, pixels.upperBound - q0)
            // The fields of the group's pixels; a missing row repeats the last real one.
            let f0 = cursor.next(p, src)
            let f1 = rows > 1 ? cursor.next(p, src) : f0
            let f2 = rows > 2 ? cursor.next(p, src) : f1
            let f3 = rows > 3 ? cursor.next(p, src) : f2
            let f4 = rows > 4 ? cursor.next(p, src) : f3
            let f5 = rows > 5 ? cursor.next(p, src) : f4
            let c = dst + q0 * p.outChannels
            if let f0, let f1, let f2, let f3, let f4, let f5 {
              Self.multiplyGroup(
                (f0, f1, f2, f3, f4, f5), rows: rows,
                depth: GatheredDepth(offsets: field.baseAddress!), kc: depth, b: panels,
                columns: columns, c: c, ldc: p.outChannels, epilogue: epilogue)
            } else {
              Im2col.rowsPlanar(p, src, pixels: q0..<q0 + rows, into: gathered)
              func rowStart(_ i: Int) -> UnsafePointer<Float> {
                UnsafePointer(gathered + min(i, rows - 1) * depth)
              }
              Self.multiplyGroup(
                (rowStart(0), rowStart(1), rowStart(2), rowStart(3), rowStart(4), rowStart(5)),
                rows: rows, depth: GatheredDepth(offsets: row.baseAddress!), kc: depth, b: panels,
                columns: columns, c: c, ldc: p.outChannels, epilogue: epilogue)
            }
            q0 += rows
          }
        }
      }
    }
  }

  /// Six A row starts: a group's output pixels.
  typealias GroupStarts = (
    UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
    UnsafePointer<Float>, UnsafePointer<Float>
  )

  /// An output pixel (image, row, column), stepped along the output in NHWC pixel order.
  struct PixelCursor {
    var n: Int
    var oh: Int
    var ow: Int

    /// The position of pixel `q` of `p`'s output.
    init(_ q: Int, _ p: ConvProblem) {
      let outPlane = p.outHeight * p.outWidth
      n = q / outPlane
      oh = (q - n * outPlane) / p.outWidth
      ow = q - n * outPlane - oh * p.outWidth
    }

    /// The top-left input of this pixel's receptive field in `src` (NCHW), or nil when the
    /// field crosses the padding; then steps to the next pixel.
    @inline(__always)
    mutating func next(_ p: ConvProblem, _ src: UnsafePointer<Float>) -> UnsafePointer<Float>? {
      let ih0 = oh * p.stride - p.pad
      let iw0 = ow * p.stride - p.pad
      let inside =
        ih0 >= 0 && ih0 + p.kernelH <= p.height && iw0 >= 0 && iw0 + p.kernelW <= p.width
      let start = inside ? src + (n * p.inChannels * p.height + ih0) * p.width + iw0 : nil
      ow += 1
      if ow == p.outWidth {
        ow = 0
        oh += 1
        if oh == p.outHeight {
          oh = 0
          n += 1
        }
      }
      return start
    }
  }

  /// C rows 0..<rows (1...6) at `c`, `columns` of B: two 3x32 tiles per pair of whole panels,
  /// one 6x16 tile (partial in rows or columns where it must) for the columns after the pairs.
  @inline(__always)
  static func multiplyGroup(
    _ a: GroupStarts, rows: Int, depth: GatheredDepth, kc: Int, b: GEMMPanels,
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
