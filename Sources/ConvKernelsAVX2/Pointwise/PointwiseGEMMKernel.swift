import ConvKernels

/// A pointwise (1x1) convolution on `GEMM.multiply`, with an optional bias + ReLU epilogue.
///
/// NHWC: dst[P x C_out] = src[P x C_in] · Wᵀ, P = N*H*W pixels. A = src (lda = C_in), B = Wᵀ
/// packed once here, C = dst (ldc = C_out). Tasks own disjoint runs of pixel rows (multiples of
/// 6: the GEMM cuts any row count into balanced tiles, so half a tile costs no idle lanes), or
/// disjoint 16-channel column panels where there are fewer pixels than output channels or too
/// few pixels for an even split; four tasks per thread, handed out as threads come free. A row
/// task reads all of B and a column task all of A, so the split takes the axis whose tasks read
/// the smaller operand: the weights of the 14x14 MobileNetV1 layers (512x512, 1 MiB) are 2.6
/// times their input, and by rows each of the 8 tasks read them whole. `sepbench ab --suite
/// mobilenet-v1 --ops pw,sep_block --variants packed-gemm,bn-folded,unfused --layouts nhwc
/// --threads 2 --blocks 8` (Zen 3, AVX2) measured pw on b07 to b11 1-3 % faster by columns,
/// and the blocks unchanged; the AVX-512 target shares the rule unmeasured. Against one
/// task per thread in 12-row quanta, `sepbench ab` (30 pairs of blocks, 2 threads, AVX-512)
/// measured pw 4-10 % faster on each of the MobileNetV1 shapes 7x7x1024, 14x14x512, 28x28x256,
/// 56x56x128 and 112x112x32→64.
///
/// NCHW: per image, dst[C_out x HW] = W[C_out x C_in] · src[C_in x HW]. A = W (row-major, as
/// given), B = the image, packed by each task into its own workspace one column block at a
/// time (`blockColumns` pixels, so the block stays in L2), C = dst (ldc = HW). Threads own
/// disjoint pixel columns, or disjoint output-channel rows when HW is small (each such task
/// packs the whole image for itself).
///
/// No reduction is split, so any thread count gives bitwise the same output.
package final class PointwiseGEMMKernel: PreparedKernel {
  let problem: ConvProblem
  let layout: Layout
  let pool: WorkerPool
  let relu: Bool
  /// NHWC: Wᵀ packed (with the padded bias).
  let packed: GEMMPackedWeights?
  /// NCHW: W `[C_out][C_in]` and the bias.
  let weights: AlignedBuffer?
  let bias: AlignedBuffer?
  package let split: OutputSplit
  /// NCHW: pixels packed per block, and one workspace of that many columns per task.
  let blockColumns: Int
  let workspace: AlignedBuffer?
  /// NHWC: pixels per quantum of a split (the GEMM tiles any row count evenly, so the quantum
  /// only bounds how unequal tasks can be). 6 in both targets: not the AVX-512 GEMM's 12-row
  /// tile, which would leave 14x14 and 7x7 outputs too few quanta for four tasks per thread.
  static let pixelQuantum = 6

  /// - Parameters:
  ///   - problem: a pointwise problem.
  ///   - weights: `[C_out][C_in]`.
  ///   - bias: `C_out` values added to every output of the channel, or nil.
  ///   - relu: apply `max(0, x)` to the result.
  package init(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights w: [Float],
    bias b: [Float]?, relu: Bool
  ) {
    self.problem = problem
    self.layout = layout
    self.pool = pool
    self.relu = relu
    let cin = problem.inChannels
    let cout = problem.outChannels
    let hw = problem.height * problem.width
    switch layout {
    case .nhwc:
      packed = GEMMPackedWeights(transposing: w, depth: cin, columns: cout, bias: b)
      weights = nil
      bias = nil
      split = OutputSplit(
        rows: problem.batch * hw, rowQuantum: Self.pixelQuantum, columns: cout,
        columnQuantum: GEMM.nr,
        threads: threads, prefer: problem.batch * hw < cout ? .columns : .rows,
        tasksPerThread: OutputSplit.balancingTasksPerThread)
      blockColumns = 0
      workspace = nil
    case .nchw:
      packed = nil
      weights = AlignedBuffer(w)
      bias = b.map { AlignedBuffer($0) }
      split = OutputSplit(
        rows: cout, rowQuantum: GEMM.mr, columns: hw, columnQuantum: GEMM.nr, threads: threads,
        prefer: .columns)
      // About 128 KiB of packed pixels per block: a multiple of 16 columns, 16...256.
      let fit = max(GEMM.nr, min(256, (32 * 1024 / cin) / GEMM.nr * GEMM.nr))
      blockColumns = min(fit, (hw + GEMM.nr - 1) / GEMM.nr * GEMM.nr)
      workspace = AlignedBuffer(
        count: split.tasks * GEMMPanels.floatCount(depth: cin, columns: blockColumns))
    }
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    switch layout {
    case .nhwc: runNHWC(src, dst)
    case .nchw: runNCHW(src, dst)
    }
  }

  private func runNHWC(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let cin = problem.inChannels
    let cout = problem.outChannels
    let packed = self.packed!
    let relu = self.relu
    let split = self.split
    pool.run(tasks: split.tasks) { task in
      let rows = split.rowRange(task)
      packed.multiply(
        rows: rows.count, a: src + rows.lowerBound * cin, lda: cin,
        c: dst + rows.lowerBound * cout, ldc: cout, relu: relu, columns: split.columnRange(task))
    }
  }

  private func runNCHW(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let cin = problem.inChannels
    let cout = problem.outChannels
    let hw = problem.height * problem.width
    let batch = problem.batch
    let w = UnsafePointer(weights!.pointer)
    let b = bias.map { UnsafePointer($0.pointer) }
    let relu = self.relu
    let split = self.split
    let blockColumns = self.blockColumns
    let workspaceStride = GEMMPanels.floatCount(depth: cin, columns: blockColumns)
    let workspace = self.workspace!.pointer
    pool.run(tasks: split.tasks) { task in
      let rows = split.rowRange(task)
      let columns = split.columnRange(task)
      let packedBlock = workspace + task * workspaceStride
      let epilogue = GEMMEpilogue(
        bias: b.map { .perRow($0 + rows.lowerBound) } ?? .none, relu: relu)
      for n in 0..<batch {
        let image = src + n * cin * hw
        let out = dst + n * cout * hw + rows.lowerBound * hw
        var p0 = columns.lowerBound
        while p0 < columns.upperBound {
          let p1 = min(columns.upperBound, p0 + blockColumns)
          GEMMPacking.packRows(image, ldb: hw, depth: cin, columnRange: p0..<p1, into: packedBlock)
          GEMM.multiply(
            rows: rows.count, depth: cin, a: w + rows.lowerBound * cin, lda: cin,
            b: GEMMPanels(base: packedBlock, depth: cin, columns: p1 - p0), columns: 0..<(p1 - p0),
            c: out + p0, ldc: hw, epilogue: epilogue)
          p0 = p1
        }
      }
    }
  }
}
