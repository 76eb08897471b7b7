import ConvKernels

/// The NCHW engine of `DepthwiseSIMD`, also a row-range API for fused NCHW blocks.
///
/// Layout: src[c][h][w] (one image), wei[c][kh][kw] (OIHW as given), dst[c][oh][ow] at a
/// caller-given row pitch and plane pitch.
/// Strips: output rows go in strips of `stripRows` (8). For a strip, the input rows it needs
/// ((8 - 1) * stride + KH, rows outside the image as zeros) are copied into a small scratch
/// (`Scratch`, L1-sized) with zero margins left and right, so every tap is one unaligned
/// vector load and no border needs a slow path. With stride 2 the copy deinterleaves each
/// row into its even and odd columns (`evenHalf`/`oddHalf`), so the 8 pixels of an output
/// vector read 8 consecutive floats for every tap; strides >= 3 deinterleave in scalar code.
/// Registers: 8 output vectors (8 x 8 pixels of the strip, taken row-major across the strip,
/// so even a 7x7 plane gives 7 independent FMA chains) share each broadcast weight; each FMA
/// reads its input from memory.
/// Tail: rows of 8 or more pixels end with a vector that overlaps the previous one, so every
/// store is a full vector. Narrower rows (7x7) are computed from zero margins; with contiguous
/// rows (`rowPitch == outWidth`) they store 8 lanes, the extra ones landing on the next row
/// before it is stored, and only the last row of the range stores its valid lanes (4/2/1-lane
/// stores). Nothing outside the output is ever written, nor any output another call owns.
/// Arithmetic: every output is `0`, then one FMA per tap in (kh, kw) order (padding taps
/// multiply zeros), whatever strip or thread computed it.
///
/// `compute` is single-threaded and allocation-free; each concurrent caller needs its own
/// `Scratch` (`makeScratch()`, untimed).
package final class DepthwiseRowsNCHW {
  /// The depthwise problem (groups = C); `batch` is ignored.
  let problem: ConvProblem
  let height: Int
  let width: Int
  let kernelH: Int
  let kernelW: Int
  let stride: Int
  let pad: Int
  let outWidth: Int
  /// Output rows per strip.
  static let stripRows = 8
  /// Zero floats before column 0 of each phase.
  let margin: Int
  /// Floats per phase (one of `stride` deinterleaved column classes) in a scratch row.
  let phaseLength: Int
  /// Floats per scratch row: `stride * phaseLength`.
  let rowLength: Int
  /// Offset of tap kw, within a scratch row, relative to the output column.
  let columnOffsets: UnsafeMutablePointer<Int>
  let weights: AlignedBuffer
  let epilogueStorage: DepthwiseEpilogueStorage

  /// Per-caller workspace: one strip of zero-margined input rows.
  package final class Scratch {
    let strip: AlignedBuffer
    init(count: Int) { strip = AlignedBuffer(count: count) }
  }

  /// Copies `weights` (OIHW, `[C][1][KH][KW]`) for the depthwise `problem` (any K, stride,
  /// padding). `scale`, `shift` and `relu` as in `DepthwiseRowsNHWC`.
  package init(
    _ problem: ConvProblem, weights: [Float], scale: [Float]? = nil, shift: [Float]? = nil,
    relu: Bool = false
  ) {
    precondition(problem.isDepthwise, "not a depthwise problem: \(problem)")
    precondition(weights.count == problem.weightCount, "\(weights.count) weights for \(problem)")
    self.problem = problem
    height = problem.height
    width = problem.width
    kernelH = problem.kernelH
    kernelW = problem.kernelW
    stride = problem.stride
    pad = problem.pad
    outWidth = problem.outWidth
    let s = stride
    margin = (pad + s - 1) / s
    // Tap kw reads input column s*ow - pad + kw = s*(ow + q) + r: phase r, offset q.
    func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    let qMax = floorDiv(kernelW - 1 - pad, s)
    let vectorColumns = (outWidth + 7) / 8 * 8
    let phaseData = (width + s - 1) / s
    phaseLength = (max(margin + phaseData, margin + vectorColumns + qMax) + 7) / 8 * 8
    rowLength = s * phaseLength
    columnOffsets = .allocate(capacity: kernelW)
    for kw in 0..<kernelW {
      let q = floorDiv(kw - pad, s)
      let r = kw - pad - q * s
      columnOffsets[kw] = r * phaseLength + margin + q
    }
    self.weights = AlignedBuffer(weights)
    epilogueStorage = DepthwiseEpilogueStorage(
      channels: problem.outChannels, scale: scale, shift: shift, relu: relu)
  }

  deinit { columnOffsets.deallocate() }

  /// A workspace for one concurrent caller of `compute` (about `(7 * stride + KH) *
  /// stride * (W / stride + 16)` floats).
  package func makeScratch() -> Scratch {
    Scratch(count: ((Self.stripRows - 1) * stride + kernelH) * rowLength)
  }

  var epilogue: DepthwiseEpilogue { epilogueStorage.epilogue }

  /// Computes output rows `rows` of channels `channels` of one image.
  /// - Parameters:
  ///   - src: the image, `[C][H][W]` contiguous.
  ///   - dst: where output (channel `channels.lowerBound`, row `rows.lowerBound`, column 0)
  ///     goes; output (c, oh, ow) is written at
  ///     `dst[(c - channels.lowerBound) * planePitch + (oh - rows.lowerBound) * rowPitch + ow]`.
  ///   - rowPitch: floats between output rows (>= outWidth).
  ///   - planePitch: floats between output channels (>= rows.count * rowPitch).
  ///   - scratch: from `makeScratch()`, not shared with a concurrent call.
  package func compute(
    rows: Range<Int>, channels: Range<Int>, src: UnsafePointer<Float>,
    dst: UnsafeMutablePointer<Float>, rowPitch: Int, planePitch: Int, scratch: Scratch
  ) {
    precondition(rows.lowerBound >= 0 && rows.upperBound <= problem.outHeight, "rows \(rows)")
    precondition(channels.lowerBound >= 0 && channels.upperBound <= problem.outChannels, "channels")
    precondition(rowPitch >= outWidth, "rowPitch \(rowPitch) < outWidth \(outWidth)")
    let epi = epilogue
    let strip = scratch.strip.pointer
    let plane = height * width
    for c in channels {
      let srcPlane = src + c * plane
      let dstPlane = dst + (c - channels.lowerBound) * planePitch
      var oh = rows.lowerBound
      while oh < rows.upperBound {
        let count = min(Self.stripRows, rows.upperBound - oh)
        fillStrip(
          strip, srcPlane, firstRow: oh * stride - pad, rows: (count - 1) * stride + kernelH)
        // A row narrower than 8 may store all 8 lanes when the rows it spills into follow it
        // directly and are computed later by this call (they overwrite the extra lanes): strip
        // row j may when the range has at least ceil(8 / outWidth) rows from j on.
        let remaining = rows.upperBound - oh
        let spillRows =
          rowPitch == outWidth ? max(0, remaining - (8 + outWidth - 1) / outWidth + 1) : 0
        computeStrip(
          strip, rows: count, spillRows: spillRows,
          weights: weights.pointer + c * kernelH * kernelW,
          dstPlane + (oh - rows.lowerBound) * rowPitch, rowPitch: rowPitch, channel: c, epi)
        oh += count
      }
    }
  }

  /// Copies input rows `firstRow ..< firstRow + rows` (zeros outside the image) into the
  /// strip, deinterleaved by stride; margins stay zero from allocation.
  private func fillStrip(
    _ strip: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, firstRow: Int, rows: Int
  ) {
    let s = stride
    for j in 0..<rows {
      let ih = firstRow + j
      let row = strip + j * rowLength + margin
      if ih < 0 || ih >= height {
        for r in 0..<s {
          (row + r * phaseLength).update(repeating: 0, count: (width - r + s - 1) / s)
        }
        continue
      }
      let input = src + ih * width
      var x = 0
      switch s {
      case 1:
        while x + 8 <= width {
          SIMD8<Float>.load(input + x).store(to: row + x)
          x += 8
        }
        while x < width {
          row[x] = input[x]
          x += 1
        }
      case 2:
        let odd = row + phaseLength
        while x + 16 <= width {
          let a = SIMD8<Float>.load(input + x)
          let b = SIMD8<Float>.load(input + x + 8)
          SIMD8(lowHalf: a.evenHalf, highHalf: b.evenHalf).store(to: row + x / 2)
          SIMD8(lowHalf: a.oddHalf, highHalf: b.oddHalf).store(to: odd + x / 2)
          x += 16
        }
        while x < width {
          (x & 1 == 0 ? row : odd)[x / 2] = input[x]
          x += 1
        }
      default:
        while x < width {
          (row + (x % s) * phaseLength)[x / s] = input[x]
          x += 1
        }
      }
    }
  }

  /// All output vectors of `rows` strip rows, 8 at a time (row-major across the strip).
  private func computeStrip(
    _ strip: UnsafeMutablePointer<Float>, rows: Int, spillRows: Int,
    weights wei: UnsafePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>, rowPitch: Int, channel c: Int, _ epi: DepthwiseEpilogue
  ) {
    let vectorsPerRow = (outWidth + 7) / 8
    let total = rows * vectorsPerRow
    var cursor = StripCursor(
      strip: UnsafePointer(strip), dst: dst, vectorsPerRow: vectorsPerRow,
      inputRowStep: stride * rowLength, rowPitch: rowPitch, outWidth: outWidth,
      spillRows: spillRows)
    var done = 0
    while done < total {
      let n = min(8, total - done)
      let v0 = cursor.next(true)
      let v1 = cursor.next(n > 1)
      let v2 = cursor.next(n > 2)
      let v3 = cursor.next(n > 3)
      let v4 = cursor.next(n > 4)
      let v5 = cursor.next(n > 5)
      let v6 = cursor.next(n > 6)
      let v7 = cursor.next(n > 7)
      nchwTile8(
        (v0.src, v1.src, v2.src, v3.src, v4.src, v5.src, v6.src, v7.src), wei,
        kernelH: kernelH, kernelW: kernelW, rowLength: rowLength, columnOffsets: columnOffsets,
        (v0.dst, v1.dst, v2.dst, v3.dst, v4.dst, v5.dst, v6.dst, v7.dst),
        (v0.lanes, v1.lanes, v2.lanes, v3.lanes, v4.lanes, v5.lanes, v6.lanes, v7.lanes),
        channel: c, epi)
      done += n
    }
  }
}

/// Walks the output vectors of a strip row-major, without divisions. Past the last vector it
/// repeats the previous one with `lanes = 0` (computed, not stored), so a tile never reads
/// outside the strip.
/// Partial vectors: with `outWidth >= 8` the last vector of a row starts at `outWidth - 8`,
/// overlapping the previous one (the shared pixels are recomputed bitwise the same), so every
/// store is a full vector. Narrower rows store 8 lanes on the first `spillRows` rows of the
/// strip (the extra lanes land on the following rows of the range, which are stored later) and
/// `outWidth` lanes on the others.
private struct StripCursor {
  let strip: UnsafePointer<Float>
  let dst: UnsafeMutablePointer<Float>
  let vectorsPerRow: Int
  let inputRowStep: Int
  let rowPitch: Int
  let outWidth: Int
  let spillRows: Int
  var row = 0
  var column = 0
  var previous: (src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>, lanes: Int)

  init(
    strip: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>, vectorsPerRow: Int,
    inputRowStep: Int, rowPitch: Int, outWidth: Int, spillRows: Int
  ) {
    self.spillRows = spillRows
    self.strip = strip
    self.dst = dst
    self.vectorsPerRow = vectorsPerRow
    self.inputRowStep = inputRowStep
    self.rowPitch = rowPitch
    self.outWidth = outWidth
    previous = (strip, dst, 0)
  }

  @inline(__always)
  mutating func next(_ valid: Bool) -> (
    src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>, lanes: Int
  ) {
    guard valid else { return (previous.src, previous.dst, 0) }
    let x = outWidth >= 8 ? min(column &* 8, outWidth &- 8) : 0
    let result = (
      src: strip + (row &* inputRowStep &+ x), dst: dst + (row &* rowPitch &+ x),
      lanes: outWidth >= 8 || row < spillRows ? 8 : outWidth
    )
    previous = result
    column &+= 1
    if column == vectorsPerRow {
      column = 0
      row &+= 1
    }
    return result
  }
}

/// 8 output vectors of one channel: `src.k` is the strip position of output vector k's tap
/// (0, 0) minus the column offset; `lanes.k` how many of its pixels to store (0: none).
@inline(__always)
private func nchwTile8(
  _ src: (
    UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
    UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>
  ),
  _ wei: UnsafePointer<Float>, kernelH: Int, kernelW: Int, rowLength: Int,
  columnOffsets: UnsafePointer<Int>,
  _ dst: (
    UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
    UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
    UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
  ),
  _ lanes: (Int, Int, Int, Int, Int, Int, Int, Int), channel c: Int, _ epi: DepthwiseEpilogue
) {
  var vacc0 = SIMD8<Float>()
  var vacc1 = SIMD8<Float>()
  var vacc2 = SIMD8<Float>()
  var vacc3 = SIMD8<Float>()
  var vacc4 = SIMD8<Float>()
  var vacc5 = SIMD8<Float>()
  var vacc6 = SIMD8<Float>()
  var vacc7 = SIMD8<Float>()
  @inline(__always)
  func tap(_ t: Int, _ vk: SIMD8<Float>) {
    vacc0.addProduct(.load(src.0 + t), vk)
    vacc1.addProduct(.load(src.1 + t), vk)
    vacc2.addProduct(.load(src.2 + t), vk)
    vacc3.addProduct(.load(src.3 + t), vk)
    vacc4.addProduct(.load(src.4 + t), vk)
    vacc5.addProduct(.load(src.5 + t), vk)
    vacc6.addProduct(.load(src.6 + t), vk)
    vacc7.addProduct(.load(src.7 + t), vk)
  }
  var w = wei
  var rowOffset = 0
  if kernelW == 3 {
    // 3-wide rows (every 3x3 layer): the column loop unrolled, offsets hoisted.
    let (o0, o1, o2) = (columnOffsets[0], columnOffsets[1], columnOffsets[2])
    for _ in 0..<kernelH {
      tap(rowOffset &+ o0, SIMD8(repeating: w[0]))
      tap(rowOffset &+ o1, SIMD8(repeating: w[1]))
      tap(rowOffset &+ o2, SIMD8(repeating: w[2]))
      w += 3
      rowOffset &+= rowLength
    }
  } else {
    for _ in 0..<kernelH {
      for kw in 0..<kernelW {
        tap(rowOffset &+ columnOffsets[kw], SIMD8(repeating: w.pointee))
        w += 1
      }
      rowOffset &+= rowLength
    }
  }
  nchwStore(epi.apply(vacc0, broadcastChannel: c), dst.0, lanes.0)
  nchwStore(epi.apply(vacc1, broadcastChannel: c), dst.1, lanes.1)
  nchwStore(epi.apply(vacc2, broadcastChannel: c), dst.2, lanes.2)
  nchwStore(epi.apply(vacc3, broadcastChannel: c), dst.3, lanes.3)
  nchwStore(epi.apply(vacc4, broadcastChannel: c), dst.4, lanes.4)
  nchwStore(epi.apply(vacc5, broadcastChannel: c), dst.5, lanes.5)
  nchwStore(epi.apply(vacc6, broadcastChannel: c), dst.6, lanes.6)
  nchwStore(epi.apply(vacc7, broadcastChannel: c), dst.7, lanes.7)
}

/// Stores the first `lanes` (0...8) pixels of `v`: 4, 2 and 1 lanes at a time below 8.
@inline(__always)
private func nchwStore(_ v: SIMD8<Float>, _ dst: UnsafeMutablePointer<Float>, _ lanes: Int) {
  if lanes == 8 {
    v.store(to: dst)
    return
  }
  var d = UnsafeMutableRawPointer(dst)
  var rest = v.lowHalf
  if lanes & 4 != 0 {
    d.storeBytes(of: rest, as: SIMD4<Float>.self)
    rest = v.highHalf
    d += 16
  }
  var two = rest.lowHalf
  if lanes & 2 != 0 {
    d.storeBytes(of: two, as: SIMD2<Float>.self)
    two = rest.highHalf
    d += 8
  }
  if lanes & 1 != 0 { d.storeBytes(of: two[0], as: Float.self) }
}
