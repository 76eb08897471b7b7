import ConvKernels
import Foundation

/// A KxK convolution as blocked im2col + `GEMM.multiply`, with an optional bias + ReLU epilogue.
///
/// The im2col buffer is never the whole image: each task im2cols one block of output pixels
/// (`blockPixels`, sized so the block, K = C_in*KH*KW deep, fits in about 384 KiB of L2),
/// then multiplies it, then moves on, as MLAS does. Buffers are per task, allocated here.
///
/// NHWC: block = `blockPixels` rows of patches in `(kh, kw, ic)` order (`Im2col.rowsNHWC`),
/// A of the GEMM; B = weights `[(kh, kw, ic)][C_out]` packed once here; C = dst rows
/// (ldc = C_out). Threads own disjoint pixels, or 16-channel panels when pixels are few.
///
/// NCHW: block = `blockPixels` pixels of one image as row-major `[(ic, kh, kw)][blockPixels]`
/// patch rows (`Im2col.rowsNCHW`), B of the GEMM read as 16-column panels with row stride
/// `blockPixels`. Filling whole rows took 1.5-2 ms for conv 3x3 128->128 56x56, against
/// 4-14 ms (loaded machine) for writing 16-pixel panels element by element. A = the OIHW
/// weights as given (`[C_out][C_in*KH*KW]`, row-major); C = dst channel rows
/// (ldc = H_out*W_out), per-row bias.
/// Threads own disjoint pixels, or output-channel rows when pixels are few.
///
/// No reduction is split, so any thread count gives bitwise the same output.
package final class ConvIm2colGEMMKernel: PreparedKernel {
  let problem: ConvProblem
  let layout: Layout
  let pool: WorkerPool
  let relu: Bool
  let packed: GEMMPackedWeights?
  let weights: AlignedBuffer?
  let bias: AlignedBuffer?
  let split: OutputSplit
  let blockPixels: Int
  let workspaceStride: Int
  let workspace: AlignedBuffer

  /// Floats of im2col data per block (384 KiB).
  static let blockBudget = 96 * 1024

  package init(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights w: [Float],
    bias b: [Float]?, relu: Bool
  ) {
    self.problem = problem
    self.layout = layout
    self.pool = pool
    self.relu = relu
    let depth = problem.inChannels * problem.kernelH * problem.kernelW
    let plan = Self.plan(problem, layout: layout, threads: threads)
    split = plan.split
    blockPixels = plan.blockPixels
    workspaceStride = plan.workspaceStride
    switch layout {
    case .nhwc:
      packed = GEMMPackedWeights(
        transposing: Im2col.weightsOHWI(problem, w), depth: depth, columns: problem.outChannels,
        bias: b)
      weights = nil
      bias = nil
    case .nchw:
      packed = nil
      weights = AlignedBuffer(w)
      bias = b.map { AlignedBuffer($0) }
    }
    workspace = AlignedBuffer(count: split.tasks * workspaceStride)
  }

  /// The thread split, the pixels per im2col block and the floats of one block buffer.
  static func plan(_ problem: ConvProblem, layout: Layout, threads: Int)
    -> (split: OutputSplit, blockPixels: Int, workspaceStride: Int)
  {
    let depth = problem.inChannels * problem.kernelH * problem.kernelW
    let plane = problem.outHeight * problem.outWidth
    let quantum = layout == .nhwc ? GEMM.mr : GEMM.nr
    let fit = max(quantum, blockBudget / depth / quantum * quantum)
    switch layout {
    case .nhwc:
      // Columns when the weights outweigh the pixels (as in `ConvDirectKernel.split`), so each
      // thread streams only its share of the weights.
      let pixels = problem.batch * plane
      let split = OutputSplit(
        rows: pixels, rowQuantum: GEMM.mr, columns: problem.outChannels,
        columnQuantum: GEMM.nr, threads: threads,
        prefer: problem.outChannels * 4 >= pixels ? .columns : .rows)
      // Every block streams all the task's weights through `GEMM.multiply`, so when they do
      // not fit in L2 a block needs >= 96 pixels: at 7x7 1024->1024 the 384 KiB budget gave
      // 6-pixel blocks that read the 38 MB of weights 9 times (20 GFLOP/s; direct-simd: 43).
      // Blocks are equal, so no block is a short tail that pays a full weight read.
      let taskRows = split.rowRange(0).count
      let target = depth * problem.outChannels > 256 * 1024 ? max(fit, 96) : fit
      let blocks = max(1, (taskRows + target - 1) / target)
      let block = ((taskRows + blocks - 1) / blocks + quantum - 1) / quantum * quantum
      return (split, block, block * depth)
    case .nchw:
      let split = OutputSplit(
        rows: problem.outChannels, rowQuantum: GEMM.mr, columns: plane, columnQuantum: GEMM.nr,
        threads: threads, prefer: .columns)
      // As for NHWC, with A = the weights: >= 64 pixels per block when they exceed L2.
      let taskPixels = split.columnRange(0).count
      let target = depth * problem.outChannels > 256 * 1024 ? max(fit, 64) : fit
      let blocks = max(1, (taskPixels + target - 1) / target)
      let block = ((taskPixels + blocks - 1) / blocks + quantum - 1) / quantum * quantum
      return (split, block, GEMMPanels.floatCount(depth: depth, columns: block))
    }
  }

  /// Size of all im2col block buffers, for `note(for:)`.
  package static func note(_ problem: ConvProblem, layout: Layout, threads: Int) -> String {
    let plan = plan(problem, layout: layout, threads: threads)
    let megabytes = Double(plan.split.tasks * plan.workspaceStride * 4) / 1e6
    return String(
      format: "im2col buffer %.2f MB (%d x %d-pixel block)", megabytes, plan.split.tasks,
      plan.blockPixels)
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = problem
    let depth = p.inChannels * p.kernelH * p.kernelW
    let cout = p.outChannels
    let plane = p.outHeight * p.outWidth
    let split = self.split
    let blockPixels = self.blockPixels
    let workspace = self.workspace.pointer
    let workspaceStride = self.workspaceStride
    let relu = self.relu
    switch layout {
    case .nhwc:
      let panels = packed!.panels
      let epilogue = GEMMEpilogue(bias: packed!.bias.map { .perColumn($0) } ?? .none, relu: relu)
      pool.run(tasks: split.tasks) { task in
        let rows = split.rowRange(task)
        let columns = split.columnRange(task)
        let block = workspace + task * workspaceStride
        var q0 = rows.lowerBound
        while q0 < rows.upperBound {
          let q1 = min(rows.upperBound, q0 + blockPixels)
          Im2col.rowsNHWC(p, src, pixels: q0..<q1, into: block)
          GEMM.multiply(
            rows: q1 - q0, depth: depth, a: block, lda: depth, b: panels, columns: columns,
            c: dst + q0 * cout, ldc: cout, epilogue: epilogue)
          q0 = q1
        }
      }
    case .nchw:
      let w = UnsafePointer(weights!.pointer)
      let b = bias.map { UnsafePointer($0.pointer) }
      let inImage = p.inChannels * p.height * p.width
      let ldb = blockPixels  // a multiple of 16
      pool.run(tasks: split.tasks) { task in
        let rows = split.rowRange(task)
        let columns = split.columnRange(task)
        let block = workspace + task * workspaceStride
        let epilogue = GEMMEpilogue(
          bias: b.map { .perRow($0 + rows.lowerBound) } ?? .none, relu: relu)
        for n in 0..<p.batch {
          let out = dst + (n * cout + rows.lowerBound) * plane
          var p0 = columns.lowerBound
          while p0 < columns.upperBound {
            let p1 = min(columns.upperBound, p0 + blockPixels)
            Im2col.rowsNCHW(p, image: src + n * inImage, pixels: p0..<p1, into: block, ldb: ldb)
            GEMM.multiply(
              rows: rows.count, depth: depth, a: w + rows.lowerBound * depth, lda: depth,
              b: GEMMPanels(rowMajor: block, ldb: ldb, depth: depth, columns: p1 - p0),
              columns: 0..<(p1 - p0),
              c: out + p0, ldc: plane, epilogue: epilogue)
            p0 = p1
          }
        }
      }
    }
  }
}
