import ConvKernels

/// Runs the fused block: for each tile, depthwise rows into the task's buffer, then the GEMM.
/// A band of rows (`RowBandKernel`) is split into its own tasks and tiles, but every output
/// row is computed the same way whatever tile it falls in (the depthwise rows are independent
/// and the GEMM's K blocking does not depend on the rows), so bands in order write bitwise what
/// a whole run writes.
package final class FusedSeparableNHWCKernel: RowBandKernel {
  let plan: FusedTilePlan
  let depthwise: DepthwiseRowsNHWC
  let pointwise: GEMMPackedWeights
  let tiles: AlignedBuffer
  let pool: WorkerPool
  private let work: FusedTileWork

  package init(
    plan: FusedTilePlan, depthwise: DepthwiseRowsNHWC, pointwise: GEMMPackedWeights,
    pool: WorkerPool
  ) {
    self.plan = plan
    self.depthwise = depthwise
    self.pointwise = pointwise
    self.pool = pool
    tiles = AlignedBuffer(count: plan.tasks * plan.tileFloats)
    work = FusedTileWork(
      problem: plan.problem, depthwise: depthwise, panels: pointwise.panels,
      epilogue: GEMMEpilogue(bias: .perColumn(pointwise.bias!), relu: true),
      tileBase: tiles.pointer)
  }

  package var outputHeight: Int { plan.problem.outHeight }

  package func inputRows(for rows: Range<Int>) -> Range<Int> {
    plan.problem.inputRows(forOutputRows: rows)
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let (plan, work) = (self.plan, self.work)
    let (inImage, outImage) = (work.inputImageFloats, work.outputImageFloats)
    pool.run(tasks: plan.tasks) { task in
      let tile = work.tileBase + task * plan.tileFloats
      plan.forEachTile(of: task) { image, rows in
        work.compute(rows, tile: tile, src: src + image * inImage, dst: dst + image * outImage)
      }
    }
  }

  package func run(
    rows band: Range<Int>, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>
  ) {
    precondition(plan.problem.batch == 1 && band.clamped(to: 0..<outputHeight) == band, "rows")
    guard !band.isEmpty else { return }
    let (plan, work) = (self.plan, self.work)
    pool.run(tasks: plan.tasks(forBand: band.count)) { task in
      let tile = work.tileBase + task * plan.tileFloats
      plan.forEachTile(of: task, inBand: band) { rows in
        work.compute(rows, tile: tile, src: src, dst: dst)
      }
    }
  }

  package var threads: Int { pool.threadCount }

  /// One per task: each task has its own tile buffer.
  package var lanes: Int { plan.tasks }

  package func run(
    rows band: Range<Int>, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
    lane: Int
  ) {
    precondition(plan.problem.batch == 1 && band.clamped(to: 0..<outputHeight) == band, "rows")
    precondition((0..<plan.tasks).contains(lane), "lane \(lane) of \(plan.tasks)")
    guard !band.isEmpty else { return }
    let tile = work.tileBase + lane * plan.tileFloats
    plan.forEachTile(inRows: band) { rows in
      work.compute(rows, tile: tile, src: src, dst: dst)
    }
  }
}

/// The work of one tile of the fused block: depthwise rows into the tile buffer, then the
/// GEMM into the output rows.
private struct FusedTileWork {
  let problem: ConvProblem
  let depthwise: DepthwiseRowsNHWC
  let panels: GEMMPanels
  let epilogue: GEMMEpilogue
  /// The first task's tile buffer; task t's is `tileBase + t * tileFloats`.
  let tileBase: UnsafeMutablePointer<Float>

  var inputImageFloats: Int { problem.height * problem.width * problem.inChannels }
  var outputImageFloats: Int { problem.outHeight * problem.outWidth * problem.outChannels }

  /// Output rows `rows` of the image at `src` (input) and `dst` (output), through `tile`.
  @inline(__always)
  func compute(
    _ rows: Range<Int>, tile: UnsafeMutablePointer<Float>, src: UnsafePointer<Float>,
    dst: UnsafeMutablePointer<Float>
  ) {
    let (cin, cout, outWidth) = (problem.inChannels, problem.outChannels, problem.outWidth)
    depthwise.compute(rows: rows, src: src, dst: tile, rowPitch: outWidth * cin)
    GEMM.multiply(
      rows: rows.count * outWidth, depth: cin, a: tile, lda: cin, b: panels, columns: 0..<cout,
      c: dst + rows.lowerBound * outWidth * cout, ldc: cout, epilogue: epilogue)
  }
}
