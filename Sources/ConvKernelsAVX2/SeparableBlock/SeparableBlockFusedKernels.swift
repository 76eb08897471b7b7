import ConvKernels

/// Runs the fused block: for each tile, depthwise rows into the task's buffer, then the GEMM.
/// A band of rows (`RowBandKernel`) is cut into tasks and tiles the same way, so it writes
/// bitwise what a whole run writes.
package final class FusedSeparableNHWCKernel: RowBandKernel {
  let plan: FusedTilePlan
  let depthwise: DepthwiseRowsNHWC
  let pointwise: GEMMPackedWeights
  let tiles: AlignedBuffer
  let pool: WorkerPool

  package init(
    plan: FusedTilePlan, depthwise: DepthwiseRowsNHWC, pointwise: GEMMPackedWeights,
    pool: WorkerPool
  ) {
    self.plan = plan
    self.depthwise = depthwise
    self.pointwise = pointwise
    self.pool = pool
    tiles = AlignedBuffer(count: plan.tasks * plan.tileFloats)
  }

  package var outputHeight: Int { plan.problem.outHeight }

  package func inputRows(for rows: Range<Int>) -> Range<Int> {
    plan.problem.inputRows(forOutputRows: rows)
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let plan = self.plan
    let stage = TileStage(self)
    let (inImage, outImage) = (stage.inputImageFloats, stage.outputImageFloats)
    pool.run(tasks: plan.tasks) { task in
      let tile = stage.tileBase + task * plan.tileFloats
      plan.forEachTile(of: task) { image, rows in
        stage.compute(rows, tile: tile, src: src + image * inImage, dst: dst + image * outImage)
      }
    }
  }

  package func run(
    rows band: Range<Int>, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>
  ) {
    precondition(plan.problem.batch == 1 && band.clamped(to: 0..<outputHeight) == band, "rows")
    guard !band.isEmpty else { return }
    let plan = self.plan
    let stage = TileStage(self)
    pool.run(tasks: plan.tasks(forBand: band.count)) { task in
      let tile = stage.tileBase + task * plan.tileFloats
      plan.forEachTile(of: task, inBand: band) { rows in
        stage.compute(rows, tile: tile, src: src, dst: dst)
      }
    }
  }
}

/// One tile of the fused block: depthwise rows into the tile buffer, then the GEMM into the
/// output rows.
private struct TileStage {
  let problem: ConvProblem
  let depthwise: DepthwiseRowsNHWC
  let panels: GEMMPanels
  let epilogue: GEMMEpilogue
  let tileBase: UnsafeMutablePointer<Float>

  init(_ kernel: FusedSeparableNHWCKernel) {
    problem = kernel.plan.problem
    depthwise = kernel.depthwise
    panels = kernel.pointwise.panels
    epilogue = GEMMEpilogue(bias: .perColumn(kernel.pointwise.bias!), relu: true)
    tileBase = kernel.tiles.pointer
  }

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
