/// The separable block with no intermediate tensor (NHWC): the depthwise stage produces a tile
/// of output rows into a small per-task buffer that stays in L2, and the pointwise GEMM
/// consumes it at once.
///
/// Layout: src[n][h][w][C_in], dst[n][oh][ow][C_out]; the tile is [rows x W_out][C_in].
/// Stages: `DepthwiseRowsNHWC` with BN + ReLU in its epilogue writes the tile; `GEMM.multiply`
/// with A = the tile (lda = C_in), B = the pointwise weights with the second BN folded in
/// (packed in `prepare`), bias + ReLU in the epilogue, writes the output rows.
/// Tile: as many output rows as fit in `tileBytes` (at least one), and no more than an even
/// share of the image when several threads run, so both cores get work on 7x7 and 14x14.
/// Threads: tasks own disjoint runs of tiles over (image, row) and a tile buffer each; every
/// output is computed the same way whatever the tile or task split (the GEMM's K blocking
/// does not depend on the rows), so any thread count gives bitwise the same output.
struct SeparableBlockFused: KernelVariant {
  static let op = Op.sepBlock
  static let family = "fused"
  static let layouts: Set<Layout> = [.nhwc]  // NCHW would need the tile transposed for the GEMM
  static let isThreaded = true
  static let requires: CPUFeatures = [.avx2, .fma]
  static let summary =
    "dw rows (BN+ReLU epilogue) into an L2-resident tile, consumed at once by the pw GEMM; no intermediate tensor"
  /// Target size of one depthwise tile: a quarter of a 512 KiB L2, leaving room for the GEMM's
  /// packed weight block.
  static let tileBytes = 128 * 1024

  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func note(for problem: ConvProblem) -> String? {
    let plan = FusedTilePlan(problem, threads: threads, tileBytes: Self.tileBytes)
    return "tile \(plan.tileRows) rows = \(ByteCount(4 * plan.tileFloats)), \(plan.tasks) tasks"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let norm = parameters.norm!.scaleAndShift
    let (pwWeights, pwBias) = BlockConvEngine.foldBatchNorm(
      weights: parameters.pointwiseWeights!, norm: parameters.pointwiseNorm!)
    return FusedSeparableNHWCKernel(
      plan: FusedTilePlan(problem, threads: threads, tileBytes: Self.tileBytes),
      depthwise: DepthwiseRowsNHWC(
        problem.depthwisePart, weights: parameters.weights, scale: norm.scale, shift: norm.shift,
        relu: true),
      pointwise: GEMMPackedWeights(
        transposing: pwWeights, depth: problem.inChannels, columns: problem.outChannels,
        bias: pwBias),
      pool: pool)
  }
}

/// How the fused block cuts its output rows into tiles and tiles into tasks.
struct FusedTilePlan {
  let problem: ConvProblem
  /// Output rows per tile.
  let tileRows: Int
  /// Tiles per image.
  let tilesPerImage: Int
  /// Floats in one tile buffer.
  let tileFloats: Int
  /// Tasks (each with its own tile buffer); tiles are split evenly over them.
  let tasks: Int

  init(_ problem: ConvProblem, threads: Int, tileBytes: Int) {
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
final class FusedSeparableNHWCKernel: PreparedKernel {
  let plan: FusedTilePlan
  let depthwise: DepthwiseRowsNHWC
  let pointwise: GEMMPackedWeights
  let tiles: AlignedBuffer
  let pool: WorkerPool

  init(
    plan: FusedTilePlan, depthwise: DepthwiseRowsNHWC, pointwise: GEMMPackedWeights,
    pool: WorkerPool
  ) {
    self.plan = plan
    self.depthwise = depthwise
    self.pointwise = pointwise
    self.pool = pool
    tiles = AlignedBuffer(count: plan.tasks * plan.tileFloats)
  }

  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
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
