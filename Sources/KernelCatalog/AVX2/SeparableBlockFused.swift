import ConvKernels
import ConvKernelsAVX2

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
  static let isa = ISA.avx2
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
