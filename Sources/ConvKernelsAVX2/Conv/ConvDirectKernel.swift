import ConvKernels

/// The prepared form of `ConvDirectSIMD` (NHWC indirect GEMM), with an optional per-channel
/// bias + ReLU epilogue so BN-folded blocks reuse it. See `ConvDirectSIMD` for the layout,
/// registers, blocking and thread split.
package final class ConvDirectKernel: PreparedKernel {
  let problem: ConvProblem
  let pool: WorkerPool
  let relu: Bool
  let packed: GEMMPackedWeights
  let split: OutputSplit
  /// Output pixels per block (<= `maxBlockPixels`); the last block of a task may be shorter.
  let blockPixels: Int
  /// The task's weights fit in L2: one K block (all of K in registers), small pixel blocks.
  let l2Resident: Bool
  /// Row-pointer slots per task: 6 per tile and tap.
  let indirectionStride: Int
  /// C_in zeros: the row every padding tap reads.
  let zeroRow: AlignedBuffer
  /// Few input channels (the 3 of an RGB stem): the KW taps of one kernel row are KW * C_in
  /// floats side by side in an NHWC image, so a tile reads them as one run (`kernelH` runs of
  /// KW * C_in instead of KH * KW runs of C_in: 3 of 9 floats instead of 9 of 3 for the stem)
  /// through one pointer per kernel row. A row that the padding cuts is copied, with zeros,
  /// into this per-task scratch (`blockPixels x depth` floats). nil when C_in is large enough
  /// for per-tap runs.
  let rowScratch: AlignedBuffer?
  /// Per task: `[tile][tap][6]` row pointers for the current block.
  let indirection: UnsafeMutablePointer<UnsafePointer<Float>>

  /// Input floats one pixel block may cover (1 MiB, half of L2): every 16-channel panel sweeps
  /// the block's input, so it must stay in L2 while the weights stream past.
  static let blockInputBudget = 256 * 1024
  /// Weight floats (a task's share) that count as L2-resident (1 MiB).
  static let residentWeightBudget = 256 * 1024
  /// Pixels per block when the weights are L2-resident (the old kernel's 48).
  static let residentBlockPixels = 48
  /// Input channels below which a kernel row is read as one run (`rowScratch`). Per-tap runs
  /// of C_in < 8 floats cost more in pointers and loop set-up than in FMAs: on the MobileNetV1
  /// stem (3 -> 32, stride 2, 224x224) row runs take 28 % fewer instructions (7.97 M against
  /// 11.04 M per call, `sepbench run --metric instructions`) and 15 to 18 % less time
  /// (`sepbench ab`, 8 pairs, Zen 3: 1.16 ms against 1.39 ms for `conv_block.bn-folded.nhwc`).
  static let kernelRowRunsBelowChannels = 8
  /// Bounds on the pixels per block.
  static let minBlockPixels = 48
  static let maxBlockPixels = 1024

  package init(
    _ problem: ConvProblem, threads: Int, pool: WorkerPool, weights w: [Float], bias: [Float]?,
    relu: Bool
  ) {
    self.problem = problem
    self.pool = pool
    self.relu = relu
    let taps = problem.kernelH * problem.kernelW
    let depth = problem.inChannels * taps
    packed = GEMMPackedWeights(
      transposing: Im2col.weightsOHWI(problem, w), depth: depth, columns: problem.outChannels,
      bias: bias)
    split = Self.split(problem, threads: threads)
    let taskColumns = (split.columnRange(0).count + GEMM.nr - 1) / GEMM.nr * GEMM.nr
    l2Resident = depth * taskColumns <= Self.residentWeightBudget
    blockPixels =
      l2Resident
      ? Self.residentBlockPixels
      : Self.blockPixels(problem, taskPixels: split.rowRange(0).count)

    indirectionStride = Self.tileCapacity(blockPixels) * GEMM.mr * taps
    zeroRow = AlignedBuffer(count: problem.inChannels, value: 0)
    rowScratch =
      l2Resident && problem.inChannels < Self.kernelRowRunsBelowChannels
      ? AlignedBuffer(count: split.tasks * blockPixels * depth) : nil
    indirection = .allocate(capacity: split.tasks * indirectionStride)
    indirection.initialize(
      repeating: UnsafePointer(zeroRow.pointer), count: split.tasks * indirectionStride)
  }

  deinit { indirection.deallocate() }

  /// Output channels when the weights outweigh the pixels (C_out * 4 >= pixels: every layer
  /// at 28x28 and below), so each thread streams only its half of the 9*C_in*C_out weights
  /// (9.4 MB at 512 channels, 38 MB at 1024: far beyond L2); output pixels otherwise.
  static func split(_ p: ConvProblem, threads: Int) -> OutputSplit {
    let pixels = p.batch * p.outHeight * p.outWidth
    return OutputSplit(
      rows: pixels, rowQuantum: GEMM.mr, columns: p.outChannels, columnQuantum: GEMM.nr,
      threads: threads, prefer: p.outChannels * 4 >= pixels ? .columns : .rows)
  }

  /// Pixels per block: all of a task's pixels when their input fits `blockInputBudget`, else
  /// equal blocks that do. Each block reads all the task's weights once, so fewer blocks means
  /// less weight traffic (at 7x7 and 14x14: exactly once per image).
  static func blockPixels(_ p: ConvProblem, taskPixels: Int) -> Int {
    let perPixel = max(1, p.inChannels * p.stride * p.stride)
    let fit = min(maxBlockPixels, max(minBlockPixels, blockInputBudget / perPixel))
    let blocks = max(1, (taskPixels + fit - 1) / fit)
    return max(1, (taskPixels + blocks - 1) / blocks)
  }

  /// Tiles needed for `pixels` pixels, at most.
  static func tileCapacity(_ pixels: Int) -> Int { pixels / 5 + 2 }

  /// K blocks: `(taps per block, channel chunk)`. C_in > 256 is cut into nearly equal chunks of
  /// <= 256 channels, one tap per block; smaller C_in groups taps so a block is about 256 deep.
  /// A block's B (<= 256 x 16 floats, 16 KiB) stays in L1 while every tile of the pixel block
  /// reuses it.
  static func kBlocking(inChannels cin: Int, taps: Int) -> (tapsPerBlock: Int, chunk: Int) {
    if cin > GEMM.kcMax { return (1, GEMM.kBlock(depth: cin)) }
    let want = max(1, GEMM.kcMax / cin)
    let blocks = (taps + want - 1) / want
    return ((taps + blocks - 1) / blocks, cin)
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = problem
    let cin = p.inChannels
    let cout = p.outChannels
    let taps = p.kernelH * p.kernelW
    let outPlane = p.outHeight * p.outWidth
    let panels = packed.panels
    let bias = packed.bias
    let relu = self.relu
    let zero = UnsafePointer(zeroRow.pointer)
    let split = self.split
    let blockPixels = self.blockPixels
    let indirection = self.indirection
    let indirectionStride = self.indirectionStride
    let (tapsPerBlock, chunk) =
      l2Resident ? (taps, cin) : Self.kBlocking(inChannels: cin, taps: taps)
    let scratch = rowScratch?.pointer
    let depth = cin * taps
    let runLength = p.kernelW * cin
    // Pointer slots per tile and row: one per tap, or one per kernel row.
    let tableTaps = scratch == nil ? taps : p.kernelH

    let chunks = (cin + chunk - 1) / chunk
    let kBlocks =
      scratch != nil ? 1 : chunks > 1 ? taps * chunks : (taps + tapsPerBlock - 1) / tapsPerBlock
    pool.run(tasks: split.tasks) { task in
      let pixels = split.rowRange(task)
      let columns = split.columnRange(task)
      let table = indirection + task * indirectionStride
      var q0 = pixels.lowerBound
      while q0 < pixels.upperBound {
        let q1 = min(pixels.upperBound, q0 + blockPixels)
        let m = q1 - q0
        let (sixes, fives) = GEMM.rowTilePlan(m)
        let tiles = sixes + fives
        if let scratch {
          // table[(tile * KH + kh) * 6 + slot]: kernel row kh of the slot's pixel, in place or
          // copied with its padding into the pixel's scratch row.
          let rows = scratch + task * blockPixels * depth
          for tile in 0..<tiles {
            let start = tile < sixes ? tile * GEMM.mr : sixes * GEMM.mr + (tile - sixes) * 5
            let count = min(tile < sixes ? GEMM.mr : 5, m - start)
            for slot in 0..<GEMM.mr {
              let i = start + min(slot, count - 1)
              Self.kernelRows(
                p, pixel: q0 + i, src: src, scratch: rows + i * depth,
                into: table + tile * p.kernelH * GEMM.mr + slot)
            }
          }
        }
        // Row pointers: table[(tile * taps + tap) * 6 + slot]; slots past a tile's rows alias
        // its last row.
        for tile in 0..<tiles where scratch == nil {
          let start = tile < sixes ? tile * GEMM.mr : sixes * GEMM.mr + (tile - sixes) * 5
          let rows = min(tile < sixes ? GEMM.mr : 5, m - start)
          for slot in 0..<GEMM.mr {
            let q = q0 + start + min(slot, rows - 1)
            let n = q / outPlane
            let oh = (q - n * outPlane) / p.outWidth
            let ow = q - n * outPlane - oh * p.outWidth
            let entry = table + tile * taps * GEMM.mr + slot
            var tap = 0
            for kh in 0..<p.kernelH {
              let ih = oh * p.stride - p.pad + kh
              for kw in 0..<p.kernelW {
                let iw = ow * p.stride - p.pad + kw
                entry[tap * GEMM.mr] =
                  (ih >= 0 && ih < p.height && iw >= 0 && iw < p.width)
                  ? src + ((n * p.height + ih) * p.width + iw) * cin : zero
                tap += 1
              }
            }
          }
        }
        // Panel, K block, tile: a K block of one panel (16 KiB) is read from memory once per
        // pixel block and then from L1 by every tile; partial sums wait in dst.
        var j = columns.lowerBound
        while j < columns.upperBound {
          let nLen = min(GEMM.nr, columns.upperBound - j)
          let panel = panels.base + (j / GEMM.nr) * panels.panelStride
          for kb in 0..<kBlocks {
            let tapRange: Range<Int>
            let c0: Int
            if scratch != nil {
              tapRange = 0..<p.kernelH
              c0 = 0
            } else if chunks > 1 {
              tapRange = (kb / chunks)..<(kb / chunks + 1)
              c0 = (kb % chunks) * chunk
            } else {
              tapRange = (kb * tapsPerBlock)..<min(taps, (kb + 1) * tapsPerBlock)
              c0 = 0
            }
            // With kernel-row runs a "tap" is a kernel row of KW * C_in floats, which is also
            // the stride of the packed weights' K between kernel rows.
            let k = ConvDirectKBlock(
              taps: tapRange, channel: c0, kc: scratch != nil ? runLength : min(chunk, cin - c0),
              cin: scratch != nil ? runLength : cin,
              panel: panel, first: kb == 0, last: kb == kBlocks - 1,
              relu: relu, bias: bias.map { $0 + j })
            let c = dst + q0 * cout + j
            for tile in 0..<sixes {
              k.tile6(
                table + tile * tableTaps * GEMM.mr, c + tile * GEMM.mr * cout, ldc: cout,
                rows: min(GEMM.mr, m - tile * GEMM.mr), columns: nLen)
            }
            for tile in sixes..<tiles {
              let start = sixes * GEMM.mr + (tile - sixes) * 5
              k.tile5(
                table + tile * tableTaps * GEMM.mr, c + start * cout, ldc: cout, columns: nLen)
            }
          }
          j += GEMM.nr
        }
        q0 = q1
      }
    }
  }
}

extension ConvDirectKernel {
  /// The KH kernel-row pointers of output pixel `pixel`, at `entries[kh * 6]`: into `src` where
  /// the row lies inside the image, else to the row's copy in `scratch` (KW * C_in floats per
  /// kernel row, zeros where the padding is).
  @inline(__always)
  static func kernelRows(
    _ p: ConvProblem, pixel q: Int, src: UnsafePointer<Float>,
    scratch: UnsafeMutablePointer<Float>, into entries: UnsafeMutablePointer<UnsafePointer<Float>>
  ) {
    let cin = p.inChannels
    let run = p.kernelW * cin
    let outPlane = p.outHeight * p.outWidth
    let n = q / outPlane
    let oh = (q - n * outPlane) / p.outWidth
    let ow = q - n * outPlane - oh * p.outWidth
    let ih0 = oh * p.stride - p.pad
    let iw0 = ow * p.stride - p.pad
    let wholeWidth = iw0 >= 0 && iw0 + p.kernelW <= p.width
    for kh in 0..<p.kernelH {
      let ih = ih0 + kh
      let rowInside = ih >= 0 && ih < p.height
      if rowInside && wholeWidth {
        entries[kh * GEMM.mr] = src + ((n * p.height + ih) * p.width + iw0) * cin
        continue
      }
      let copy = scratch + kh * run
      for kw in 0..<p.kernelW {
        let iw = iw0 + kw
        let to = copy + kw * cin
        if rowInside && iw >= 0 && iw < p.width {
          let from = src + ((n * p.height + ih) * p.width + iw) * cin
          for c in 0..<cin { to[c] = from[c] }
        } else {
          for c in 0..<cin { to[c] = 0 }
        }
      }
      entries[kh * GEMM.mr] = UnsafePointer(copy)
    }
  }
}

/// One K block of one 16-channel panel: taps `taps`, input channels `channel ..< channel + kc`.
struct ConvDirectKBlock {
  let taps: Range<Int>
  let channel: Int
  let kc: Int
  let cin: Int
  /// The panel's row k = 0.
  let panel: UnsafePointer<Float>
  /// Start from the bias (or zero) instead of the partial sums in C.
  let first: Bool
  /// Apply ReLU before storing.
  let last: Bool
  let relu: Bool
  /// Bias of the panel's 16 channels (padded), or nil.
  let bias: UnsafePointer<Float>?

  /// A 6-row tile: `row` = its `[tap][6]` pointers, `c` = its first output row.
  @inline(__always)
  func tile6(
    _ row: UnsafePointer<UnsafePointer<Float>>, _ c: UnsafeMutablePointer<Float>, ldc: Int,
    rows: Int, columns: Int
  ) {
    let full = rows == GEMM.mr && columns == GEMM.nr
    var acc =
      first
      ? (bias.map { GEMMTile6x16(lo: .load($0), hi: .load($0 + 8)) }
        ?? GEMMTile6x16(lo: .zero, hi: .zero))
      : full
        ? GEMMTile6x16(loading: c, ldc: ldc)
        : GEMMTile6x16(loading: c, ldc: ldc, rows: rows, columns: columns)
    for tap in taps {
      let r = row + tap * GEMM.mr
      acc.accumulate(
        r[0] + channel, r[1] + channel, r[2] + channel, r[3] + channel, r[4] + channel,
        r[5] + channel, kc: kc, panel + (tap * cin + channel) * GEMM.nr)
    }
    if last && relu { acc.applyReLU() }
    if full {
      acc.store(to: c, ldc: ldc)
    } else {
      acc.store(to: c, ldc: ldc, rows: rows, columns: columns)
    }
  }

  /// A 5-row tile (always 5 real rows).
  @inline(__always)
  func tile5(
    _ row: UnsafePointer<UnsafePointer<Float>>, _ c: UnsafeMutablePointer<Float>, ldc: Int,
    columns: Int
  ) {
    let full = columns == GEMM.nr
    var acc =
      first
      ? (bias.map { GEMMTile5x16(lo: .load($0), hi: .load($0 + 8)) }
        ?? GEMMTile5x16(lo: .zero, hi: .zero))
      : full
        ? GEMMTile5x16(loading: c, ldc: ldc)
        : GEMMTile5x16(loading: c, ldc: ldc, columns: columns)
    for tap in taps {
      let r = row + tap * GEMM.mr
      acc.accumulate(
        r[0] + channel, r[1] + channel, r[2] + channel, r[3] + channel, r[4] + channel,
        kc: kc, panel + (tap * cin + channel) * GEMM.nr)
    }
    if last && relu { acc.applyReLU() }
    if full {
      acc.store(to: c, ldc: ldc)
    } else {
      acc.store(to: c, ldc: ldc, columns: columns)
    }
  }
}
