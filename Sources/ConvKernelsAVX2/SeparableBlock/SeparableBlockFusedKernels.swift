import ConvKernels

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
    let tileFloats = plan.tileFloats
    let tileBase = tiles.pointer
    let panels = pointwise.panels
    let epilogue = GEMMEpilogue(bias: .perColumn(pointwise.bias!), relu: true)
    let depthwise = self.depthwise
    let plan = self.plan
    pool.run(tasks: plan.tasks) { task in
      let tile = tileBase + task * tileFloats
      plan.forEachTile(of: task) { image, rows in
        depthwise.compute(
          rows: rows, src: src + image * inImage, dst: tile, rowPitch: outWidth * cin)
        GEMM.multiply(
          rows: rows.count * outWidth, depth: cin, a: tile, lda: cin, b: panels,
          columns: 0..<cout,
          c: dst + ((image * outHeight + rows.lowerBound) * outWidth) * cout, ldc: cout,
          epilogue: epilogue)
      }
    }
  }
}
