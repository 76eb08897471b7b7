import ConvKernels

/// The NHWC engine of `DepthwiseSIMD`, also the row-range API for fused blocks.
///
/// Layout: src[h][w][c] (one image), wei[kh][kw][cp] packed here (cp = C rounded up to whole
/// vectors, zero-padded), dst[oh][ow][c] at a caller-given row pitch and pixel pitch.
/// Vectors: `ChannelVector`, the target's vector of channels: 8 floats in the AVX2 target, 16
/// in the AVX-512 one (this file is compiled in both).
/// Registers: interior tile = 8 output pixels of one row x one vector of channels (8
/// accumulators); each
/// tap loads one weight vector and feeds 8 FMAs whose input comes straight from memory
/// (`vfmadd231ps ymm, ymm, [mem]`, zmm in the AVX-512 target); a 4-pixel tile takes the rest of the interior.
/// Borders: rows are clipped to the taps inside the image (no zero rows); the few columns whose
/// taps leave the image go through a one-pixel path that is still SIMD over channels
/// (4 vectors per step, so 4 independent FMA chains), with the tap range clipped — no scalar
/// slow path on 7x7 or 14x14.
/// Tail: the channels past the last whole vector go through a scalar FMA loop with the same tap order; nothing reads
/// past the channels of a pixel.
/// Arithmetic: every output is `0`, then one FMA per in-image tap in (kh, kw) order, in every
/// path, so the result does not depend on which path or thread computed it.
///
/// Row-range API (for a fused depthwise + pointwise block):
/// ```
/// let rows = DepthwiseRowsNHWC(problem, weights: w, scale: s, shift: b, relu: true)  // untimed
/// rows.compute(rows: 8..<12, src: image, dst: tile, rowPitch: outWidth * C)         // timed
/// ```
/// `compute` is single-threaded, allocation-free and reentrant (it keeps no state), so
/// several threads may call it on disjoint row or channel ranges at once.
package final class DepthwiseRowsNHWC {
  /// The depthwise problem (groups = C); `batch` is ignored, `compute` works on one image.
  let problem: ConvProblem
  let channels: Int
  let height: Int
  let width: Int
  let kernelH: Int
  let kernelW: Int
  let stride: Int
  let pad: Int
  let outWidth: Int
  let paddedChannels: Int
  /// Output columns whose taps all lie inside the image.
  let interior: Range<Int>
  let packed: AlignedBuffer
  let epilogueStorage: DepthwiseEpilogueStorage

  /// Packs `weights` (OIHW, `[C][1][KH][KW]`) for the depthwise `problem` (any K, stride,
  /// padding). With `scale` and `shift` (C values each) every output becomes
  /// `shift[c] + scale[c] * acc` (one FMA); with `relu`, then `max(0, ·)`.
  package init(
    _ problem: ConvProblem, weights: [Float], scale: [Float]? = nil, shift: [Float]? = nil,
    relu: Bool = false
  ) {
    precondition(problem.isDepthwise, "not a depthwise problem: \(problem)")
    precondition(weights.count == problem.weightCount, "\(weights.count) weights for \(problem)")
    self.problem = problem
    channels = problem.outChannels
    height = problem.height
    width = problem.width
    kernelH = problem.kernelH
    kernelW = problem.kernelW
    stride = problem.stride
    pad = problem.pad
    outWidth = problem.outWidth
    paddedChannels =
      (channels + ChannelVector.lanes - 1) / ChannelVector.lanes * ChannelVector.lanes
    let lo = min(outWidth, (pad + stride - 1) / stride)
    let last = width + pad - kernelW  // last input start column that keeps every tap inside
    let hi = last >= 0 ? min(outWidth, last / stride + 1) : 0
    interior = lo..<max(lo, hi)
    let taps = kernelH * kernelW
    packed = AlignedBuffer(count: taps * paddedChannels)
    for c in 0..<channels {
      for t in 0..<taps { packed.pointer[t * paddedChannels + c] = weights[c * taps + t] }
    }
    epilogueStorage = DepthwiseEpilogueStorage(
      channels: problem.outChannels, scale: scale, shift: shift, relu: relu)
  }

  var epilogue: DepthwiseEpilogue { epilogueStorage.epilogue }

  /// Computes output rows `rows` (each within `0..<outHeight`) of one image, all channels.
  /// - Parameters:
  ///   - src: the image, `[H][W][C]` contiguous.
  ///   - dst: where output row `rows.lowerBound`, column 0, channel 0 goes; output (oh, ow, c)
  ///     is written at `dst[(oh - rows.lowerBound) * rowPitch + ow * pixelPitch + c]`.
  ///   - rowPitch: floats between consecutive output rows (>= outWidth * pixelPitch).
  ///   - pixelPitch: floats between consecutive output pixels (>= C; default C).
  /// Only those C floats per pixel are written; padding between pixels or rows is untouched.
  package func compute(
    rows: Range<Int>, src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>,
    rowPitch: Int, pixelPitch: Int? = nil
  ) {
    compute(
      rows: rows, channels: 0..<channels, src: src, dst: dst, rowPitch: rowPitch,
      pixelPitch: pixelPitch ?? channels)
  }

  /// As `compute(rows:src:dst:rowPitch:pixelPitch:)` for the channels `channels` only
  /// (`lowerBound` a multiple of `ChannelVector.lanes`); `dst` still points at channel 0.
  package func compute(
    rows: Range<Int>, channels cs: Range<Int>, src: UnsafePointer<Float>,
    dst: UnsafeMutablePointer<Float>, rowPitch: Int, pixelPitch: Int
  ) {
    precondition(rows.lowerBound >= 0 && rows.upperBound <= problem.outHeight, "rows \(rows)")
    precondition(
      cs.lowerBound % ChannelVector.lanes == 0 && cs.lowerBound >= 0 && cs.upperBound <= channels,
      "channels \(cs)")
    precondition(pixelPitch >= channels && rowPitch >= outWidth * pixelPitch, "pitches")
    let epi = epilogue
    var cs = cs
    if kernelH == 3 && kernelW == 3 && (stride == 1 || stride == 2) {
      let vectorEnd = cs.lowerBound + cs.count / ChannelVector.lanes * ChannelVector.lanes
      compute3x3(
        rows: rows, vectorChannels: cs.lowerBound..<vectorEnd, src: src, dst: dst,
        rowPitch: rowPitch, pixelPitch: pixelPitch, epi)
      cs = vectorEnd..<cs.upperBound
      if cs.isEmpty { return }
    }
    let cp = paddedChannels
    let srcRowStep = width * channels
    let weiRowStep = kernelW * cp
    let wei = UnsafePointer(packed.pointer)
    for oh in rows {
      let out = dst + (oh - rows.lowerBound) * rowPitch
      let ih0 = oh * stride - pad
      let khLo = max(0, -ih0)
      let khHi = min(kernelH, height - ih0)
      let rowSrc = src + (ih0 + khLo) * srcRowStep
      let rowWei = wei + khLo * weiRowStep
      let geometry = NHWCTapGeometry(
        rows: khHi - khLo, srcRowStep: srcRowStep, tapStep: channels, weiRowStep: weiRowStep,
        weiTapStep: cp)
      var ow = 0
      while ow < outWidth {
        if interior.contains(ow) && ow + 4 <= interior.upperBound {
          let input = rowSrc + (ow * stride - pad) * channels
          if ow + 8 <= interior.upperBound {
            nhwcTile8(
              input, pixelStep: stride * channels, rowWei, taps: kernelW, geometry,
              out + ow * pixelPitch, pixelPitch: pixelPitch, channels: cs, epi)
            ow += 8
          } else {
            nhwcTile4(
              input, pixelStep: stride * channels, rowWei, taps: kernelW, geometry,
              out + ow * pixelPitch, pixelPitch: pixelPitch, channels: cs, epi)
            ow += 4
          }
        } else {
          let iw0 = ow * stride - pad
          let kwLo = max(0, -iw0)
          let kwHi = min(kernelW, width - iw0)
          nhwcPixel(
            rowSrc + (iw0 + kwLo) * channels, rowWei + kwLo * cp, taps: kwHi - kwLo, geometry,
            out + ow * pixelPitch, channels: cs, epi)
          ow += 1
        }
      }
    }
  }
}

/// Strides of the tap loops, in floats.
struct NHWCTapGeometry {
  /// Kernel rows inside the image for this output row.
  let rows: Int
  let srcRowStep: Int
  let tapStep: Int
  let weiRowStep: Int
  let weiTapStep: Int
}

/// Scalar FMA chain for one pixel and one channel; the same tap order as the vector paths.
@inline(__always)
private func nhwcScalar(
  _ src: UnsafePointer<Float>, _ wei: UnsafePointer<Float>, taps: Int, _ g: NHWCTapGeometry
) -> Float {
  var acc: Float = 0
  var rowSrc = src
  var rowWei = wei
  for _ in 0..<g.rows {
    var s = rowSrc
    var w = rowWei
    for _ in 0..<taps {
      acc = acc.addingProduct(s.pointee, w.pointee)
      s += g.tapStep
      w += g.weiTapStep
    }
    rowSrc += g.srcRowStep
    rowWei += g.weiRowStep
  }
  return acc
}

/// 8 pixels (input `pixelStep` apart, every tap inside the image) x one vector of channels
/// per step.
private func nhwcTile8(
  _ src: UnsafePointer<Float>, pixelStep p: Int, _ wei: UnsafePointer<Float>, taps: Int,
  _ g: NHWCTapGeometry, _ dst: UnsafeMutablePointer<Float>, pixelPitch q: Int,
  channels: Range<Int>, _ epi: DepthwiseEpilogue
) {
  var c = channels.lowerBound
  let end = channels.upperBound
  let (p2, p3, p4, p5, p6, p7) = (2 * p, 3 * p, 4 * p, 5 * p, 6 * p, 7 * p)
  while c + ChannelVector.lanes <= end {
    var vacc0 = ChannelVector()
    var vacc1 = ChannelVector()
    var vacc2 = ChannelVector()
    var vacc3 = ChannelVector()
    var vacc4 = ChannelVector()
    var vacc5 = ChannelVector()
    var vacc6 = ChannelVector()
    var vacc7 = ChannelVector()
    var rowSrc = src + c
    var rowWei = wei + c
    for _ in 0..<g.rows {
      var vi = rowSrc
      var w = rowWei
      for _ in 0..<taps {
        let vk = ChannelVector.load(w)
        vacc0.addProduct(.load(vi), vk)
        vacc1.addProduct(.load(vi + p), vk)
        vacc2.addProduct(.load(vi + p2), vk)
        vacc3.addProduct(.load(vi + p3), vk)
        vacc4.addProduct(.load(vi + p4), vk)
        vacc5.addProduct(.load(vi + p5), vk)
        vacc6.addProduct(.load(vi + p6), vk)
        vacc7.addProduct(.load(vi + p7), vk)
        vi += g.tapStep
        w += g.weiTapStep
      }
      rowSrc += g.srcRowStep
      rowWei += g.weiRowStep
    }
    let out = dst + c
    epi.apply(vacc0, channel: c).store(to: out)
    epi.apply(vacc1, channel: c).store(to: out + q)
    epi.apply(vacc2, channel: c).store(to: out + 2 * q)
    epi.apply(vacc3, channel: c).store(to: out + 3 * q)
    epi.apply(vacc4, channel: c).store(to: out + 4 * q)
    epi.apply(vacc5, channel: c).store(to: out + 5 * q)
    epi.apply(vacc6, channel: c).store(to: out + 6 * q)
    epi.apply(vacc7, channel: c).store(to: out + 7 * q)
    c += ChannelVector.lanes
  }
  while c < end {
    for j in 0..<8 {
      dst[j * q + c] = epi.apply(nhwcScalar(src + j * p + c, wei + c, taps: taps, g), channel: c)
    }
    c += 1
  }
}

/// 4 pixels (every tap inside the image) x one vector of channels per step.
private func nhwcTile4(
  _ src: UnsafePointer<Float>, pixelStep p: Int, _ wei: UnsafePointer<Float>, taps: Int,
  _ g: NHWCTapGeometry, _ dst: UnsafeMutablePointer<Float>, pixelPitch q: Int,
  channels: Range<Int>, _ epi: DepthwiseEpilogue
) {
  var c = channels.lowerBound
  let end = channels.upperBound
  let (p2, p3) = (2 * p, 3 * p)
  while c + ChannelVector.lanes <= end {
    var vacc0 = ChannelVector()
    var vacc1 = ChannelVector()
    var vacc2 = ChannelVector()
    var vacc3 = ChannelVector()
    var rowSrc = src + c
    var rowWei = wei + c
    for _ in 0..<g.rows {
      var vi = rowSrc
      var w = rowWei
      for _ in 0..<taps {
        let vk = ChannelVector.load(w)
        vacc0.addProduct(.load(vi), vk)
        vacc1.addProduct(.load(vi + p), vk)
        vacc2.addProduct(.load(vi + p2), vk)
        vacc3.addProduct(.load(vi + p3), vk)
        vi += g.tapStep
        w += g.weiTapStep
      }
      rowSrc += g.srcRowStep
      rowWei += g.weiRowStep
    }
    let out = dst + c
    epi.apply(vacc0, channel: c).store(to: out)
    epi.apply(vacc1, channel: c).store(to: out + q)
    epi.apply(vacc2, channel: c).store(to: out + 2 * q)
    epi.apply(vacc3, channel: c).store(to: out + 3 * q)
    c += ChannelVector.lanes
  }
  while c < end {
    for j in 0..<4 {
      dst[j * q + c] = epi.apply(nhwcScalar(src + j * p + c, wei + c, taps: taps, g), channel: c)
    }
    c += 1
  }
}

/// One pixel whose tap range is clipped to the image (`src`/`wei` at its first tap) x four
/// vectors of channels, then one vector per step. Also the border path of the 3x3 kernels.
func nhwcPixel(
  _ src: UnsafePointer<Float>, _ wei: UnsafePointer<Float>, taps: Int, _ g: NHWCTapGeometry,
  _ dst: UnsafeMutablePointer<Float>, channels: Range<Int>, _ epi: DepthwiseEpilogue
) {
  var c = channels.lowerBound
  let end = channels.upperBound
  let (l1, l2, l3) = (ChannelVector.lanes, 2 * ChannelVector.lanes, 3 * ChannelVector.lanes)
  while c + 4 * ChannelVector.lanes <= end {
    var vacc0 = ChannelVector()
    var vacc1 = ChannelVector()
    var vacc2 = ChannelVector()
    var vacc3 = ChannelVector()
    var rowSrc = src + c
    var rowWei = wei + c
    for _ in 0..<g.rows {
      var vi = rowSrc
      var w = rowWei
      for _ in 0..<taps {
        vacc0.addProduct(.load(vi), .load(w))
        vacc1.addProduct(.load(vi + l1), .load(w + l1))
        vacc2.addProduct(.load(vi + l2), .load(w + l2))
        vacc3.addProduct(.load(vi + l3), .load(w + l3))
        vi += g.tapStep
        w += g.weiTapStep
      }
      rowSrc += g.srcRowStep
      rowWei += g.weiRowStep
    }
    epi.apply(vacc0, channel: c).store(to: dst + c)
    epi.apply(vacc1, channel: c + l1).store(to: dst + c + l1)
    epi.apply(vacc2, channel: c + l2).store(to: dst + c + l2)
    epi.apply(vacc3, channel: c + l3).store(to: dst + c + l3)
    c += 4 * ChannelVector.lanes
  }
  while c + ChannelVector.lanes <= end {
    var vacc = ChannelVector()
    var rowSrc = src + c
    var rowWei = wei + c
    for _ in 0..<g.rows {
      var vi = rowSrc
      var w = rowWei
      for _ in 0..<taps {
        vacc.addProduct(.load(vi), .load(w))
        vi += g.tapStep
        w += g.weiTapStep
      }
      rowSrc += g.srcRowStep
      rowWei += g.weiRowStep
    }
    epi.apply(vacc, channel: c).store(to: dst + c)
    c += ChannelVector.lanes
  }
  while c < end {
    dst[c] = epi.apply(nhwcScalar(src + c, wei + c, taps: taps, g), channel: c)
    c += 1
  }
}
