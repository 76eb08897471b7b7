import ConvKernels

/// The separable block with no intermediate tensor (NHWC): the depthwise stage produces a tile
/// of output rows into a small per-task buffer that stays in L2, and the pointwise GEMM of
/// `Target` consumes it at once.
///
/// Layout: src[n][h][w][C_in], dst[n][oh][ow][C_out]; the tile is [rows x W_out][C_in].
/// Stages: `DepthwiseRowsNHWC` with BN + ReLU in its epilogue writes the tile; `GEMM.multiply`
/// with A = the tile (lda = C_in), B = the pointwise weights with the second BN folded in
/// (packed in `prepare`), bias + ReLU in the epilogue, writes the output rows.
/// Tasks and tiles (`FusedTilePlan`): tasks own equal runs of output rows over (image, row), four
/// per thread; each task cuts its run, per image, into tiles of equal height that fit in
/// `tileBytes` (at least one row each).
/// Threads: tasks own disjoint rows and a tile buffer each; every
/// output is computed the same way whatever the tile or task split (the GEMM's K blocking
/// does not depend on the rows), so any thread count gives bitwise the same output.
struct SeparableBlockFused<Target: ISATarget>: KernelVariant {
  static var op: Op { .sepBlock }
  static var family: String { "fused" + Target.familySuffix }
  static var layouts: Set<Layout> { [.nhwc] }  // NCHW would need the tile transposed
  static var isThreaded: Bool { true }
  static var isa: ISA { Target.isa }
  static var summary: String {
    "dw rows (BN+ReLU epilogue) into an L2-resident tile, consumed at once by the \(Target.tiles) pw GEMM; no intermediate tensor"
  }
  /// Target size of one depthwise tile: a quarter of a 512 KiB L2, leaving room for the GEMM's
  /// packed weight block.
  static var tileBytes: Int { 128 * 1024 }

  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func note(for problem: ConvProblem) -> String? {
    FusedTilePlan(problem, threads: threads, tileBytes: Self.tileBytes).note
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    Target.Kernels.separableFused(
      problem, threads: threads, pool: pool, parameters: parameters, tileBytes: Self.tileBytes)
  }
}
