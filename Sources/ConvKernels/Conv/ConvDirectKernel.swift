/// The prepared form of `ConvDirectSIMD` (NHWC indirect GEMM), with an optional per-channel
/// bias + ReLU epilogue so BN-folded blocks reuse it. See `ConvDirectSIMD` for the layout,
/// registers, blocking and thread split.
final class ConvDirectKernel: PreparedKernel {
  let problem: ConvProblem
  let pool: WorkerPool
  let relu: Bool
  let packed: GEMMPackedWeights
  let split: OutputSplit
  /// C_in zeros: the row every padding tap reads.
  let zeroRow: AlignedBuffer
  /// Per task: `blockPixels * taps` row pointers, `[tile][tap][6]`.
  let indirection: UnsafeMutablePointer<UnsafePointer<Float>>
  let indirectionStride: Int

  /// Output pixels per indirection block (a multiple of 6).
  static let blockPixels = 48

  init(
    _ problem: ConvProblem, threads: Int, pool: WorkerPool, weights w: [Float], bias: [Float]?,
    relu: Bool
  ) {
    self.problem = problem
    self.pool = pool
    self.relu = relu
    let depth = problem.inChannels * problem.kernelH * problem.kernelW
    packed = GEMMPackedWeights(
      transposing: Im2col.weightsOHWI(problem, w), depth: depth, columns: problem.outChannels,
      bias: bias)
    split = OutputSplit(
      rows: problem.batch * problem.outHeight * problem.outWidth, rowQuantum: GEMM.mr,
      columns: problem.outChannels, columnQuantum: GEMM.nr, threads: threads)
    zeroRow = AlignedBuffer(count: problem.inChannels, value: 0)
    indirectionStride = Self.blockPixels * problem.kernelH * problem.kernelW
    indirection = .allocate(capacity: split.tasks * indirectionStride)
    indirection.initialize(
      repeating: UnsafePointer(zeroRow.pointer), count: split.tasks * indirectionStride)
  }

  deinit { indirection.deallocate() }

  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = problem
    let cin = p.inChannels
    let cout = p.outChannels
    let taps = p.kernelH * p.kernelW
    let outPlane = p.outHeight * p.outWidth
    let panels = packed.panels
    let epilogue = GEMMEpilogue(bias: packed.bias.map { .perColumn($0) } ?? .none, relu: relu)
    let zero = UnsafePointer(zeroRow.pointer)
    let split = self.split
    let indirection = self.indirection
    let indirectionStride = self.indirectionStride
    pool.run(tasks: split.tasks) { task in
      let pixels = split.rowRange(task)
      let columns = split.columnRange(task)
      let table = indirection + task * indirectionStride
      var q0 = pixels.lowerBound
      while q0 < pixels.upperBound {
        let q1 = min(pixels.upperBound, q0 + ConvDirectKernel.blockPixels)
        // Row pointers: table[((q - q0) / 6 * taps + tap) * 6 + (q - q0) % 6].
        let tiles = (q1 - q0 + GEMM.mr - 1) / GEMM.mr
        for slot in 0..<(tiles * GEMM.mr) {
          let q = min(q0 + slot, q1 - 1)  // tail slots alias the last real pixel
          let n = q / outPlane
          let oh = (q - n * outPlane) / p.outWidth
          let ow = q - n * outPlane - oh * p.outWidth
          let entry = table + (slot / GEMM.mr * taps) * GEMM.mr + slot % GEMM.mr
          var tap = 0
          for kh in 0..<p.kernelH {
            let ih = oh * p.stride - p.pad + kh
            for kw in 0..<p.kernelW {
              let iw = ow * p.stride - p.pad + kw
              entry[tap * GEMM.mr] =
                (ih >= 0 && ih < p.height && iw >= 0 && iw < p.width)
                ? src + ((n * p.height + ih) * p.width + iw) * cin : zero
              tap += 1
            }
          }
        }
        var j = columns.lowerBound
        while j < columns.upperBound {
          let nLen = min(GEMM.nr, columns.upperBound - j)
          let panel = panels.base + (j / GEMM.nr) * panels.panelStride
          for tile in 0..<tiles {
            let mLen = min(GEMM.mr, q1 - q0 - tile * GEMM.mr)
            var acc = epilogue.initialTile(row: 0, rows: GEMM.mr, column: j)
            var row = UnsafePointer(table + tile * taps * GEMM.mr)
            var b = panel
            for _ in 0..<taps {
              acc.accumulate(row[0], row[1], row[2], row[3], row[4], row[5], kc: cin, b)
              row += GEMM.mr
              b += cin * GEMM.nr
            }
            if epilogue.relu { acc.applyReLU() }
            let c = dst + (q0 + tile * GEMM.mr) * cout + j
            if mLen == GEMM.mr && nLen == GEMM.nr {
              acc.store(to: c, ldc: cout)
            } else {
              acc.store(to: c, ldc: cout, rows: mLen, columns: nLen)
            }
          }
          j += GEMM.nr
        }
        q0 = q1
      }
    }
  }
}
