import ConvKernels

/// How the fused block cuts its output rows into tiles and tiles into tasks.
package struct FusedTilePlan {
  let problem: ConvProblem
  /// Output rows per tile.
  package let tileRows: Int
  /// Tiles per image.
  let tilesPerImage: Int
  /// Floats in one tile buffer.
  package let tileFloats: Int
  /// Tasks (each with its own tile buffer); tiles are split evenly over them.
  package let tasks: Int

  package init(_ problem: ConvProblem, threads: Int, tileBytes: Int) {
    self.problem = problem
    let rowFloats = problem.outWidth * problem.inChannels
    let fit = max(1, tileBytes / (4 * rowFloats))
    let share = threads > 1 ? max(1, problem.outHeight / (2 * threads)) : problem.outHeight
    tileRows = min(fit, share, problem.outHeight)
    tilesPerImage = (problem.outHeight + tileRows - 1) / tileRows
    tileFloats = tileRows * rowFloats
    tasks = min(problem.batch * tilesPerImage, threads > 1 ? 2 * threads : 1)
  }
}

/// Runs the fused block: for each tile, depthwise rows into the task's buffer, then the GEMM.
package final class FusedSeparableNHWCKernel: PreparedKernel {
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

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = plan.problem
    let (cin, cout) = (p.inChannels, p.outChannels)
    let (outHeight, outWidth) = (p.outHeight, p.outWidth)
    let inImage = p.height * p.width * cin
    let tileRows = plan.tileRows
    let tilesPerImage = plan.tilesPerImage
    let tileFloats = plan.tileFloats
    let tileBase = tiles.pointer
    let panels = pointwise.panels
    let epilogue = GEMMEpilogue(bias: .perColumn(pointwise.bias!), relu: true)
    let depthwise = self.depthwise
    let partition = RowPartition(total: p.batch * tilesPerImage, parts: plan.tasks)
    pool.run(tasks: plan.tasks) { task in
      let tile = tileBase + task * tileFloats
      for index in partition.range(task) {
        let image = index / tilesPerImage
        let r0 = (index % tilesPerImage) * tileRows
        let r1 = min(outHeight, r0 + tileRows)
        depthwise.compute(
          rows: r0..<r1, src: src + image * inImage, dst: tile, rowPitch: outWidth * cin)
        GEMM.multiply(
          rows: (r1 - r0) * outWidth, depth: cin, a: tile, lda: cin, b: panels,
          columns: 0..<cout, c: dst + ((image * outHeight + r0) * outWidth) * cout, ldc: cout,
          epilogue: epilogue)
      }
    }
  }
}
