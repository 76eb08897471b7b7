import ConvKernels

/// 3x3 stride-1 convolution in NHWC by Winograd F(m x m, 3 x 3) (`Tile`), with an optional
/// per-channel bias + ReLU applied in the output transform (BN-folded `conv_block`).
///
/// Per block of `blockTiles` output tiles, on one thread:
/// 1. Input transform: for each tile and 8 input channels, the α x α patch (read in place for
///    interior tiles, gathered with zeros for tiles that straddle the border or the channel
///    tail) goes through Bᵀ along columns, then rows, into `V[ξ][tile][c_in]`.
/// 2. α² GEMMs on the FMA tiles of `GEMM.multiply`: `M[ξ] = V[ξ] · U[ξ]`, U the transformed
///    weights packed once in `prepare` (α² x C_in x C_out floats: α²/9 times the direct
///    weights).
/// 3. Output transform: for each tile and 8 output channels, Aᵀ along columns, then rows,
///    plus bias and ReLU, stored to the output pixels that exist (edge tiles compute
///    outputs past the image and drop them).
///
/// Blocking, chosen on a Zen 3 (512 KiB L2) at 1 thread from `sepbench run --shape ... --ops conv
/// --variants direct-simd,winograd-f4x4 --threads 1` on builds with the block size fixed by
/// hand (speedups of F(4x4) over `direct-simd`, one run per block size, so only the
/// direction is firm):
/// - Small transformed weights (a task's U <= 4 MiB): blocks of whole GEMM row tiles whose
///   V and M fit `blockBudget` (12 tiles at 128 channels), so the transforms and the GEMMs
///   meet in L2 and U is re-read from L3 per block, in order. At 128->128 56x56 this gave
///   2.1-2.4x over direct; one block of all 196 tiles (6.9 MiB of V and M) gave 1.5-1.6x.
/// - Large U (9 MiB at 256 channels, 36 MiB at 512): one block per task, so U streams from
///   memory once per call; at 256->256 28x28 that gave 1.8-2.1x, 12-tile blocks 1.1-1.3x.
/// Per ξ the GEMM keeps its U[ξ] (C_in x C_out, K- and column-blocked) in L2 while the
/// block's rows stream past.
///
/// Threads own disjoint tiles, or 16-channel column blocks when channels outweigh tiles
/// (then each thread transforms the whole input for its own columns). The GEMM's K blocking
/// depends only on C_in and every tile is transformed the same way, so any thread count gives
/// bitwise the same output.
package final class WinogradConvKernel<Tile: WinogradTile>: PreparedKernel {
  let problem: ConvProblem
  let pool: WorkerPool
  let relu: Bool
  /// U: α² packed `GEMMPanels`, one every `weightStride` floats.
  let weights: AlignedBuffer
  let weightStride: Int
  /// Per output channel, padded to a multiple of 8 (zeros when there is no bias).
  let bias: AlignedBuffer
  let split: OutputSplit
  let blockTiles: Int
  /// Row strides of V and M: C_in and C_out rounded up to 8.
  let ldV: Int
  let ldM: Int
  /// Per task: V, M and two α x α x 8 scratch tiles.
  let workspace: AlignedBuffer
  let taskStride: Int

  /// V + M floats of a block (512 KiB): the block's transformed input and products stay in
  /// L2 between the transforms and the GEMMs.
  static var blockBudget: Int { 128 * 1024 }
  /// Transformed-weight floats of a task (4 MiB) above which the task runs as one block, so U
  /// is streamed once per call instead of once per block.
  static var streamedWeightBudget: Int { 1024 * 1024 }

  package init(
    _ problem: ConvProblem, threads: Int, pool: WorkerPool, weights w: [Float], bias: [Float]?,
    relu: Bool
  ) {
    precondition(WinogradTransform.unsupportedReason(problem) == nil)
    self.problem = problem
    self.pool = pool
    self.relu = relu
    let transform = Tile.transform
    let alpha2 = transform.alpha * transform.alpha
    let cin = problem.inChannels
    let cout = problem.outChannels
    let weightStride = GEMMPanels.floatCount(depth: cin, columns: cout)
    self.weightStride = weightStride
    let packed = AlignedBuffer(count: alpha2 * weightStride)
    for (xi, u) in transform.transformWeights(w, inChannels: cin, outChannels: cout).enumerated() {
      u.withUnsafeBufferPointer {
        GEMMPacking.packTransposed(
          $0.baseAddress!, ldw: cin, depth: cin, columns: cout,
          into: packed.pointer + xi * weightStride)
      }
    }
    self.weights = packed
    ldV = (cin + 7) / 8 * 8
    ldM = (cout + 7) / 8 * 8
    let paddedBias = AlignedBuffer(count: ldM, value: 0)
    if let bias {
      for (oc, b) in bias.enumerated() { paddedBias.pointer[oc] = b }
    }
    self.bias = paddedBias

    (split, blockTiles, taskStride) = Self.plan(problem, threads: threads)
    workspace = AlignedBuffer(count: split.tasks * taskStride, value: 0)
  }

  /// The thread split, the tiles per block and the workspace floats per task.
  static func plan(_ problem: ConvProblem, threads: Int) -> (
    split: OutputSplit, blockTiles: Int, taskStride: Int
  ) {
    let transform = Tile.transform
    let alpha2 = transform.alpha * transform.alpha
    let pixels = problem.batch * problem.outHeight * problem.outWidth
    let split = OutputSplit(
      rows: transform.tileCount(problem), rowQuantum: GEMM.mr, columns: problem.outChannels,
      columnQuantum: GEMM.nr, threads: threads,
      prefer: problem.outChannels * 4 >= pixels ? .columns : .rows)
    let taskTiles = max(1, split.rowRange(0).count)
    let taskColumns = split.columnRange(0).count
    let perTile = alpha2 * ((problem.inChannels + 7) / 8 * 8 + (problem.outChannels + 7) / 8 * 8)
    let taskWeights = alpha2 * problem.inChannels * taskColumns
    let blockTiles =
      taskWeights > streamedWeightBudget
      ? taskTiles : min(taskTiles, max(GEMM.mr, blockBudget / perTile / GEMM.mr * GEMM.mr))
    return (split, blockTiles, (blockTiles * perTile + 2 * alpha2 * 8 + 15) / 16 * 16)
  }

  /// The tile count, the workspace (V, M and scratch of every task) and the transformed
  /// weights, for the variant's `note`.
  package static func note(_ problem: ConvProblem, threads: Int) -> String {
    let t = Tile.transform
    let alpha2 = t.alpha * t.alpha
    let plan = plan(problem, threads: threads)
    let weightBytes =
      4 * alpha2 * GEMMPanels.floatCount(depth: problem.inChannels, columns: problem.outChannels)
    return
      "F(\(t.m)x\(t.m),3x3): \(t.tileCount(problem)) tiles, \(plan.blockTiles) per block; "
      + "workspace \(ByteCount(4 * plan.split.tasks * plan.taskStride)); transformed weights "
      + "\(ByteCount(weightBytes)) (\(alpha2)/9 of direct)"
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let alpha = Tile.transform.alpha
    let alpha2 = alpha * alpha
    let grid = Tile.transform.tileGrid(problem)
    let split = self.split
    let blockTiles = self.blockTiles
    let ldV = self.ldV
    let ldM = self.ldM
    let workspace = self.workspace.pointer
    let taskStride = self.taskStride
    let weights = UnsafePointer(self.weights.pointer)
    let weightStride = self.weightStride
    let geometry = WinogradGeometry(problem: problem, grid: grid, alpha: alpha, m: Tile.transform.m)
    let bias = UnsafePointer(self.bias.pointer)
    let relu = self.relu
    pool.run(tasks: split.tasks) { task in
      let tiles = split.rowRange(task)
      let columns = split.columnRange(task)
      let v = workspace + task * taskStride
      let m = v + alpha2 * blockTiles * ldV
      let scratch = m + alpha2 * blockTiles * ldM
      var t0 = tiles.lowerBound
      while t0 < tiles.upperBound {
        let count = min(blockTiles, tiles.upperBound - t0)
        for slot in 0..<count {
          Self.inputTile(
            geometry, tile: t0 + slot, src: src,
            v: v + slot * ldV, vStride: blockTiles * ldV, scratch: scratch)
        }
        for xi in 0..<alpha2 {
          GEMM.multiply(
            rows: count, depth: geometry.inChannels, a: v + xi * blockTiles * ldV, lda: ldV,
            b: GEMMPanels(
              base: weights + xi * weightStride, depth: geometry.inChannels,
              columns: geometry.outChannels),
            columns: columns, c: m + xi * blockTiles * ldM, ldc: ldM, epilogue: .none)
        }
        for slot in 0..<count {
          Self.outputTile(
            geometry, tile: t0 + slot, m: m + slot * ldM, mStride: blockTiles * ldM,
            columns: columns, bias: bias, relu: relu, dst: dst, scratch: scratch)
        }
        t0 += count
      }
    }
  }

  /// Transforms the input patch of `tile` into `v[ξ * vStride + c]` for every input channel c.
  @inline(__always)
  static func inputTile(
    _ g: WinogradGeometry, tile: Int, src: UnsafePointer<Float>,
    v: UnsafeMutablePointer<Float>, vStride: Int, scratch: UnsafeMutablePointer<Float>
  ) {
    let alpha = g.alpha
    let cin = g.inChannels
    let (n, ih0, iw0) = g.patchOrigin(tile)
    let interior =
      ih0 >= 0 && iw0 >= 0 && ih0 + alpha <= g.height && iw0 + alpha <= g.width
    let rowStride = g.width * cin
    let columnPass = scratch
    let patch = scratch + alpha * alpha * 8
    var c = 0
    while c < cin {
      let lanes = min(8, cin - c)
      if interior && lanes == 8 {
        let base = src + ((n * g.height + ih0) * g.width + iw0) * cin + c
        for j in 0..<alpha {
          Tile.input(base + j * cin, rowStride, columnPass + j * 8, alpha * 8)
        }
      } else {
        for i in 0..<alpha {
          let ih = ih0 + i
          for j in 0..<alpha {
            let iw = iw0 + j
            let out = patch + (i * alpha + j) * 8
            if ih >= 0 && ih < g.height && iw >= 0 && iw < g.width {
              let p = src + ((n * g.height + ih) * g.width + iw) * cin + c
              for lane in 0..<8 { out[lane] = lane < lanes ? p[lane] : 0 }
            } else {
              SIMD8<Float>.zero.store(to: out)
            }
          }
        }
        for j in 0..<alpha {
          Tile.input(patch + j * 8, alpha * 8, columnPass + j * 8, alpha * 8)
        }
      }
      for i in 0..<alpha {
        Tile.input(columnPass + i * alpha * 8, 8, v + i * alpha * vStride + c, vStride)
      }
      c += 8
    }
  }

  /// Transforms `m[ξ * mStride + oc]` of `tile` back for the output channels in `columns`,
  /// adds the bias, applies ReLU and stores the outputs that exist.
  @inline(__always)
  static func outputTile(
    _ g: WinogradGeometry, tile: Int, m: UnsafePointer<Float>, mStride: Int,
    columns: Range<Int>, bias: UnsafePointer<Float>, relu: Bool,
    dst: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    let alpha = g.alpha
    let tileSide = g.m
    let cout = g.outChannels
    let (n, oh0, ow0) = g.outputOrigin(tile)
    let rows = min(tileSide, g.outHeight - oh0)
    let cols = min(tileSide, g.outWidth - ow0)
    let columnPass = scratch
    let row = scratch + alpha * alpha * 8
    var oc = columns.lowerBound
    while oc < columns.upperBound {
      let lanes = min(8, columns.upperBound - oc)
      for j in 0..<alpha {
        Tile.output(m + j * mStride + oc, alpha * mStride, columnPass + j * 8, alpha * 8)
      }
      let b = SIMD8<Float>.load(bias + oc)
      for r in 0..<rows {
        Tile.output(columnPass + r * alpha * 8, 8, row, 8)
        let out = dst + ((n * g.outHeight + oh0 + r) * g.outWidth + ow0) * cout + oc
        for k in 0..<cols {
          var y = SIMD8<Float>.load(row + k * 8) + b
          if relu { y = y.replacing(with: 0, where: y .< 0) }
          if lanes == 8 {
            y.store(to: out + k * cout)
          } else {
            for lane in 0..<lanes { out[k * cout + lane] = y[lane] }
          }
        }
      }
      oc += 8
    }
  }
}

/// Where the tiles of a Winograd convolution sit in the NHWC input and output.
struct WinogradGeometry {
  let height: Int
  let width: Int
  let outHeight: Int
  let outWidth: Int
  let inChannels: Int
  let outChannels: Int
  let pad: Int
  let alpha: Int
  let m: Int
  let gridRows: Int
  let gridColumns: Int

  init(problem p: ConvProblem, grid: (rows: Int, columns: Int), alpha: Int, m: Int) {
    height = p.height
    width = p.width
    outHeight = p.outHeight
    outWidth = p.outWidth
    inChannels = p.inChannels
    outChannels = p.outChannels
    pad = p.pad
    self.alpha = alpha
    self.m = m
    gridRows = grid.rows
    gridColumns = grid.columns
  }

  /// Image, first output row and first output column of `tile`.
  @inline(__always)
  func outputOrigin(_ tile: Int) -> (n: Int, oh: Int, ow: Int) {
    let perImage = gridRows * gridColumns
    let n = tile / perImage
    let r = tile - n * perImage
    let th = r / gridColumns
    return (n, th * m, (r - th * gridColumns) * m)
  }

  /// Image and top-left input pixel (possibly in the padding) of `tile`'s α x α patch.
  @inline(__always)
  func patchOrigin(_ tile: Int) -> (n: Int, ih: Int, iw: Int) {
    let (n, oh, ow) = outputOrigin(tile)
    return (n, oh - pad, ow - pad)
  }
}
