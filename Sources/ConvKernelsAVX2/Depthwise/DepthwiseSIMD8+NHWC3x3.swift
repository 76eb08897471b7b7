import ConvKernels

/// The 3x3, stride 1 and 2 path of `DepthwiseRowsNHWC` (every depthwise layer of MobileNetV1).
///
/// Layout: as `DepthwiseRowsNHWC` (src[h][w][c], wei[kh][kw][cp], dst[oh][ow] at the caller's
/// pitches).
/// Loop order: output row, then a block of output pixels along W, then channels one vector
/// (`ChannelVector`: 8 channels for AVX2, 16 for AVX-512) at a time (the input of a block is
/// read as contiguous pixels, which the prefetchers follow).
/// Registers: interior block = 8 output pixels x one vector of channels (8 accumulators). Per kernel row
/// the 3 weight vectors are loaded once and each input vector is loaded once and fed to every
/// accumulator that reads it (a sliding window): stride 1 loads 10 input vectors per kernel row
/// for 24 FMAs (the generic tile loads 24), stride 2 loads 17. A 4-pixel block takes interiors
/// narrower than 8; the last block of a row overlaps the previous one instead of shrinking (it
/// recomputes, bitwise the same, the pixels it shares). Where a pixel's channels span a
/// multiple of 512 bytes, 4-pixel blocks over two vectors of channels at a time replace the
/// 8-pixel ones (`block4Pairs`; `rows3x3` says why).
/// Borders: kernel rows outside the image are skipped (as in the generic path); columns outside
/// the image go through a one-pixel path that skips those taps.
/// Arithmetic: every output is `0`, then one FMA per in-image tap in (kh, kw) order: bitwise
/// equal to the generic path, whatever the block or split.
/// Tail: channels past the last full vector go through the generic path (scalar loop).
extension DepthwiseRowsNHWC {
  /// Output rows `rows`, channels `cs` (both bounds multiples of `ChannelVector.lanes`), 3x3
  /// stride 1 or 2.
  func compute3x3(
    rows: Range<Int>, vectorChannels cs: Range<Int>, src: UnsafePointer<Float>,
    dst: UnsafeMutablePointer<Float>, rowPitch: Int, pixelPitch: Int, _ epi: DepthwiseEpilogue
  ) {
    let (r, q) = (rowPitch, pixelPitch)
    // Four specialisations: the stride folds into the tap offsets, and without an epilogue
    // (the plain `dw` operator) the loop keeps no scale/shift/ReLU registers or branches.
    switch (stride == 1, epi.isIdentity) {
    case (true, true): rows3x3(NHWC3x3Stride1.self, Identity.self, rows, cs, src, dst, r, q, epi)
    case (true, false): rows3x3(NHWC3x3Stride1.self, Epilogue.self, rows, cs, src, dst, r, q, epi)
    case (false, true): rows3x3(NHWC3x3Stride2.self, Identity.self, rows, cs, src, dst, r, q, epi)
    case (false, false): rows3x3(NHWC3x3Stride2.self, Epilogue.self, rows, cs, src, dst, r, q, epi)
    }
  }

  private func rows3x3<S: NHWC3x3Stride, E: EpilogueKind>(
    _: S.Type, _: E.Type, _ rows: Range<Int>, _ cs: Range<Int>, _ src: UnsafePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>, _ rowPitch: Int, _ q: Int, _ epi: DepthwiseEpilogue
  ) {
    let s = S.stride
    let ch = channels
    let srcRowStep = width &* ch
    let cp = paddedChannels
    let wei = UnsafePointer(packed.pointer)
    let lo = interior.lowerBound
    let hi = interior.upperBound
    // Pixels outside [blockStart, blockEnd) take the one-pixel path.
    let blockStart = hi - lo >= 4 ? lo : hi
    let blockEnd = hi
    // Where a pixel's channels span a multiple of 512 bytes, the same channel of every input
    // pixel falls in the same few L1 sets (2 of 64 at 512 channels), too few for the 30 input
    // lines of an 8-pixel block: its loads missed to L2, each line twice (once per half).
    // Blocks of 4 pixels that finish two vectors of channels together read each line once.
    // `sepbench ab` against 8-pixel blocks, dw NHWC on the MobileNetV1 shapes, 1 thread, 8
    // pairs, Zen 3: 128 channels (b03) -17 %, 256 to 1024 (b05-b13) -23 to -43 %; at 64
    // channels (256 bytes) +7 %, inconclusive, so the rule stops at 512 bytes. A 16-lane
    // vector is a whole line, but the 30 lines of 8 pixels still fall in as few sets, so the
    // lines that the next block and row share are likely gone by then. The same `ab` on
    // `dw.simd16.nhwc`, Zen 4 (AVX-512 on 256-bit units), 8 pairs, 1 and 2 threads: 256 to
    // 512 channels (b06-b12) -12 to -26 %, 128 and 1024 unchanged or inconclusive, the fused
    // and BN-folded blocks unchanged; at 32 and 64 channels pairs of 16-lane vectors gained
    // nothing (-7 to +9 %, inconclusive), so both widths keep the 512-byte rule.
    let pairs = (ch &* MemoryLayout<Float>.size) % 512 == 0
    for oh in rows {
      let out = dst + (oh &- rows.lowerBound) &* rowPitch
      let ih0 = oh &* s &- pad
      let khLo = max(0, -ih0)
      let khHi = min(3, height - ih0)
      let g = Rows3x3(
        count: khHi - khLo, src: src + (ih0 + khLo) &* srcRowStep, srcStep: srcRowStep,
        wei: wei + khLo &* 3 &* cp, weiStep: 3 &* cp, tapStep: cp)
      var ow = 0
      while ow < blockStart {
        pixel3x3(E.self, s, ow, g, out + ow &* q, cs, epi)
        ow &+= 1
      }
      while ow < blockEnd {
        // Blocks of 8, then 4. A short remainder is done by a block that overlaps the previous
        // one and ends at `blockEnd`, unless it is a single pixel (the pixel path is cheaper).
        let left = blockEnd &- ow
        let n =
          !pairs && (left >= 8 || (left > 4 && blockEnd &- blockStart >= 8))
          ? 8 : left >= 2 ? 4 : 1
        if n == 1 {
          pixel3x3(E.self, s, ow, g, out + ow &* q, cs, epi)
          ow &+= 1
          continue
        }
        if left < n { ow = blockEnd &- n }
        let x = (ow &* s &- pad) &* ch
        if n == 8 {
          S.block8(E.self, g, input: x, pixelStep: ch, out + ow &* q, pixelPitch: q, cs, epi)
        } else if pairs {
          S.block4Pairs(E.self, g, input: x, pixelStep: ch, out + ow &* q, pixelPitch: q, cs, epi)
        } else {
          S.block4(E.self, g, input: x, pixelStep: ch, out + ow &* q, pixelPitch: q, cs, epi)
        }
        ow &+= n
      }
      while ow < outWidth {
        pixel3x3(E.self, s, ow, g, out + ow &* q, cs, epi)
        ow &+= 1
      }
    }
  }

  /// One output pixel with its column range clipped to the image: the generic one-pixel
  /// kernel (four vectors of channels per step, 4 independent FMA chains).
  @inline(__always)
  private func pixel3x3<E: EpilogueKind>(
    _: E.Type, _ s: Int, _ ow: Int, _ g: Rows3x3, _ dst: UnsafeMutablePointer<Float>,
    _ cs: Range<Int>, _ epi: DepthwiseEpilogue
  ) {
    let iw0 = ow &* s &- pad
    let kwLo = max(0, -iw0)
    let kwHi = min(3, width &- iw0)
    let geometry = NHWCTapGeometry(
      rows: g.count, srcRowStep: g.srcStep, tapStep: channels, weiRowStep: g.weiStep,
      weiTapStep: g.tapStep)
    nhwcPixel(
      g.src + (iw0 &+ kwLo) &* channels, g.wei + kwLo &* g.tapStep, taps: kwHi &- kwLo, geometry,
      dst, channels: cs, epi)
  }
}

/// The kernel rows of one output row that lie inside the image.
struct Rows3x3 {
  /// Kernel rows inside the image (1...3).
  let count: Int
  /// Input row of the first of them, column 0, channel 0.
  let src: UnsafePointer<Float>
  let srcStep: Int
  /// Packed weights of the first of them, tap column 0, channel 0.
  let wei: UnsafePointer<Float>
  let weiStep: Int
  /// Floats between the weights of neighbouring tap columns.
  let tapStep: Int
}

/// Whether a loop applies the epilogue; the choice is made once per call.
protocol EpilogueKind {
  static func apply(_ epi: DepthwiseEpilogue, _ v: ChannelVector, channel c: Int) -> ChannelVector
}

/// No epilogue: the accumulator is stored as it is.
enum Identity: EpilogueKind {
  @inline(__always)
  static func apply(_ epi: DepthwiseEpilogue, _ v: ChannelVector, channel c: Int) -> ChannelVector {
    v
  }
}

/// `DepthwiseEpilogue.apply`.
enum Epilogue: EpilogueKind {
  @inline(__always)
  static func apply(_ epi: DepthwiseEpilogue, _ v: ChannelVector, channel c: Int) -> ChannelVector {
    epi.apply(v, channel: c)
  }
}

/// One kernel row of a block of output pixels at a fixed stride: `r` is the input of pixel 0,
/// tap column 0, `w` the row's tap-0 weights. Pixel j, tap kw reads input column
/// `j * stride + kw`; each input vector is loaded once and fed to every accumulator that reads
/// it, and each accumulator sees its taps in kw order.
protocol NHWC3x3Row {
  associatedtype Block
  static func row(
    _ a: inout Block, _ r: UnsafePointer<Float>, pixelStep p: Int, _ w: UnsafePointer<Float>,
    tapStep t: Int)
}

/// 8 output pixels along W x one vector of channels.
struct Accumulators8 {
  var v0 = ChannelVector()
  var v1 = ChannelVector()
  var v2 = ChannelVector()
  var v3 = ChannelVector()
  var v4 = ChannelVector()
  var v5 = ChannelVector()
  var v6 = ChannelVector()
  var v7 = ChannelVector()

  @inline(__always)
  func store<E: EpilogueKind>(
    _: E.Type, to dst: UnsafeMutablePointer<Float>, pixelPitch q: Int, channel c: Int,
    _ epi: DepthwiseEpilogue
  ) {
    E.apply(epi, v0, channel: c).store(to: dst)
    E.apply(epi, v1, channel: c).store(to: dst + q)
    E.apply(epi, v2, channel: c).store(to: dst + 2 &* q)
    E.apply(epi, v3, channel: c).store(to: dst + 3 &* q)
    E.apply(epi, v4, channel: c).store(to: dst + 4 &* q)
    E.apply(epi, v5, channel: c).store(to: dst + 5 &* q)
    E.apply(epi, v6, channel: c).store(to: dst + 6 &* q)
    E.apply(epi, v7, channel: c).store(to: dst + 7 &* q)
  }
}

/// 4 output pixels along W x one vector of channels.
struct Accumulators4 {
  var v0 = ChannelVector()
  var v1 = ChannelVector()
  var v2 = ChannelVector()
  var v3 = ChannelVector()

  @inline(__always)
  func store<E: EpilogueKind>(
    _: E.Type, to dst: UnsafeMutablePointer<Float>, pixelPitch q: Int, channel c: Int,
    _ epi: DepthwiseEpilogue
  ) {
    E.apply(epi, v0, channel: c).store(to: dst)
    E.apply(epi, v1, channel: c).store(to: dst + q)
    E.apply(epi, v2, channel: c).store(to: dst + 2 &* q)
    E.apply(epi, v3, channel: c).store(to: dst + 3 &* q)
  }
}

/// The interior blocks at one stride (8 and 4 output pixels); `block` runs one block over the
/// channels of `cs`, with the three kernel rows unrolled when all lie inside the image.
protocol NHWC3x3Stride {
  static var stride: Int { get }
  associatedtype Row8: NHWC3x3Row where Row8.Block == Accumulators8
  associatedtype Row4: NHWC3x3Row where Row4.Block == Accumulators4
}

extension NHWC3x3Stride {
  @inline(__always)
  static func block8<E: EpilogueKind>(
    _: E.Type, _ g: Rows3x3, input: Int, pixelStep p: Int, _ dst: UnsafeMutablePointer<Float>,
    pixelPitch q: Int, _ cs: Range<Int>, _ epi: DepthwiseEpilogue
  ) {
    var c = cs.lowerBound
    while c < cs.upperBound {
      var a = Accumulators8()
      var r = g.src + (input &+ c)
      var w = g.wei + c
      if g.count == 3 {
        Row8.row(&a, r, pixelStep: p, w, tapStep: g.tapStep)
        Row8.row(&a, r + g.srcStep, pixelStep: p, w + g.weiStep, tapStep: g.tapStep)
        Row8.row(&a, r + 2 &* g.srcStep, pixelStep: p, w + 2 &* g.weiStep, tapStep: g.tapStep)
      } else {
        for _ in 0..<g.count {
          Row8.row(&a, r, pixelStep: p, w, tapStep: g.tapStep)
          r += g.srcStep
          w += g.weiStep
        }
      }
      a.store(E.self, to: dst + c, pixelPitch: q, channel: c, epi)
      c &+= ChannelVector.lanes
    }
  }

  @inline(__always)
  static func block4<E: EpilogueKind>(
    _: E.Type, _ g: Rows3x3, input: Int, pixelStep p: Int, _ dst: UnsafeMutablePointer<Float>,
    pixelPitch q: Int, _ cs: Range<Int>, _ epi: DepthwiseEpilogue
  ) {
    var c = cs.lowerBound
    while c < cs.upperBound {
      var a = Accumulators4()
      var r = g.src + (input &+ c)
      var w = g.wei + c
      if g.count == 3 {
        Row4.row(&a, r, pixelStep: p, w, tapStep: g.tapStep)
        Row4.row(&a, r + g.srcStep, pixelStep: p, w + g.weiStep, tapStep: g.tapStep)
        Row4.row(&a, r + 2 &* g.srcStep, pixelStep: p, w + 2 &* g.weiStep, tapStep: g.tapStep)
      } else {
        for _ in 0..<g.count {
          Row4.row(&a, r, pixelStep: p, w, tapStep: g.tapStep)
          r += g.srcStep
          w += g.weiStep
        }
      }
      a.store(E.self, to: dst + c, pixelPitch: q, channel: c, epi)
      c &+= ChannelVector.lanes
    }
  }
}

extension NHWC3x3Stride {
  /// `block4` over two vectors of channels at a time: each kernel row of the first vector,
  /// then of the second, whose input lines the first has just brought into L1. Each output
  /// sees its taps in the same order as in `block4`.
  @inline(__always)
  static func block4Pairs<E: EpilogueKind>(
    _: E.Type, _ g: Rows3x3, input: Int, pixelStep p: Int, _ dst: UnsafeMutablePointer<Float>,
    pixelPitch q: Int, _ cs: Range<Int>, _ epi: DepthwiseEpilogue
  ) {
    let lanes = ChannelVector.lanes
    var c = cs.lowerBound
    while c &+ 2 &* lanes <= cs.upperBound {
      var a = Accumulators4()
      var b = Accumulators4()
      var r = g.src + (input &+ c)
      var w = g.wei + c
      for _ in 0..<g.count {
        Row4.row(&a, r, pixelStep: p, w, tapStep: g.tapStep)
        Row4.row(&b, r + lanes, pixelStep: p, w + lanes, tapStep: g.tapStep)
        r += g.srcStep
        w += g.weiStep
      }
      a.store(E.self, to: dst + c, pixelPitch: q, channel: c, epi)
      b.store(E.self, to: dst + (c &+ lanes), pixelPitch: q, channel: c &+ lanes, epi)
      c &+= 2 &* lanes
    }
    if c < cs.upperBound {
      block4(E.self, g, input: input, pixelStep: p, dst, pixelPitch: q, c..<cs.upperBound, epi)
    }
  }
}

/// Stride 1: 10 input vectors per kernel row for 8 pixels (24 FMAs), 6 for 4 pixels.
enum NHWC3x3Stride1: NHWC3x3Stride {
  static var stride: Int { 1 }
  typealias Row8 = Row8Stride1
  typealias Row4 = Row4Stride1
}

/// Stride 2: 17 input vectors per kernel row for 8 pixels, 9 for 4 pixels.
enum NHWC3x3Stride2: NHWC3x3Stride {
  static var stride: Int { 2 }
  typealias Row8 = Row8Stride2
  typealias Row4 = Row4Stride2
}

enum Row8Stride1: NHWC3x3Row {
  @inline(__always)
  static func row(
    _ a: inout Accumulators8, _ r: UnsafePointer<Float>, pixelStep p: Int,
    _ w: UnsafePointer<Float>, tapStep t: Int
  ) {
    let w0 = ChannelVector.load(w)
    let w1 = ChannelVector.load(w + t)
    let w2 = ChannelVector.load(w + 2 &* t)
    a.v0.addProduct(.load(r), w0)
    let vi1 = ChannelVector.load(r + p)
    a.v0.addProduct(vi1, w1)
    a.v1.addProduct(vi1, w0)
    let vi2 = ChannelVector.load(r + 2 &* p)
    a.v0.addProduct(vi2, w2)
    a.v1.addProduct(vi2, w1)
    a.v2.addProduct(vi2, w0)
    let vi3 = ChannelVector.load(r + 3 &* p)
    a.v1.addProduct(vi3, w2)
    a.v2.addProduct(vi3, w1)
    a.v3.addProduct(vi3, w0)
    let vi4 = ChannelVector.load(r + 4 &* p)
    a.v2.addProduct(vi4, w2)
    a.v3.addProduct(vi4, w1)
    a.v4.addProduct(vi4, w0)
    let vi5 = ChannelVector.load(r + 5 &* p)
    a.v3.addProduct(vi5, w2)
    a.v4.addProduct(vi5, w1)
    a.v5.addProduct(vi5, w0)
    let vi6 = ChannelVector.load(r + 6 &* p)
    a.v4.addProduct(vi6, w2)
    a.v5.addProduct(vi6, w1)
    a.v6.addProduct(vi6, w0)
    let vi7 = ChannelVector.load(r + 7 &* p)
    a.v5.addProduct(vi7, w2)
    a.v6.addProduct(vi7, w1)
    a.v7.addProduct(vi7, w0)
    let vi8 = ChannelVector.load(r + 8 &* p)
    a.v6.addProduct(vi8, w2)
    a.v7.addProduct(vi8, w1)
    a.v7.addProduct(.load(r + 9 &* p), w2)
  }
}

enum Row4Stride1: NHWC3x3Row {
  @inline(__always)
  static func row(
    _ a: inout Accumulators4, _ r: UnsafePointer<Float>, pixelStep p: Int,
    _ w: UnsafePointer<Float>, tapStep t: Int
  ) {
    let w0 = ChannelVector.load(w)
    let w1 = ChannelVector.load(w + t)
    let w2 = ChannelVector.load(w + 2 &* t)
    a.v0.addProduct(.load(r), w0)
    let vi1 = ChannelVector.load(r + p)
    a.v0.addProduct(vi1, w1)
    a.v1.addProduct(vi1, w0)
    let vi2 = ChannelVector.load(r + 2 &* p)
    a.v0.addProduct(vi2, w2)
    a.v1.addProduct(vi2, w1)
    a.v2.addProduct(vi2, w0)
    let vi3 = ChannelVector.load(r + 3 &* p)
    a.v1.addProduct(vi3, w2)
    a.v2.addProduct(vi3, w1)
    a.v3.addProduct(vi3, w0)
    let vi4 = ChannelVector.load(r + 4 &* p)
    a.v2.addProduct(vi4, w2)
    a.v3.addProduct(vi4, w1)
    a.v3.addProduct(.load(r + 5 &* p), w2)
  }
}

enum Row8Stride2: NHWC3x3Row {
  @inline(__always)
  static func row(
    _ a: inout Accumulators8, _ r: UnsafePointer<Float>, pixelStep p: Int,
    _ w: UnsafePointer<Float>, tapStep t: Int
  ) {
    let w0 = ChannelVector.load(w)
    let w1 = ChannelVector.load(w + t)
    let w2 = ChannelVector.load(w + 2 &* t)
    a.v0.addProduct(.load(r), w0)
    a.v0.addProduct(.load(r + p), w1)
    let vi2 = ChannelVector.load(r + 2 &* p)
    a.v0.addProduct(vi2, w2)
    a.v1.addProduct(vi2, w0)
    a.v1.addProduct(.load(r + 3 &* p), w1)
    let vi4 = ChannelVector.load(r + 4 &* p)
    a.v1.addProduct(vi4, w2)
    a.v2.addProduct(vi4, w0)
    a.v2.addProduct(.load(r + 5 &* p), w1)
    let vi6 = ChannelVector.load(r + 6 &* p)
    a.v2.addProduct(vi6, w2)
    a.v3.addProduct(vi6, w0)
    a.v3.addProduct(.load(r + 7 &* p), w1)
    let vi8 = ChannelVector.load(r + 8 &* p)
    a.v3.addProduct(vi8, w2)
    a.v4.addProduct(vi8, w0)
    a.v4.addProduct(.load(r + 9 &* p), w1)
    let vi10 = ChannelVector.load(r + 10 &* p)
    a.v4.addProduct(vi10, w2)
    a.v5.addProduct(vi10, w0)
    a.v5.addProduct(.load(r + 11 &* p), w1)
    let vi12 = ChannelVector.load(r + 12 &* p)
    a.v5.addProduct(vi12, w2)
    a.v6.addProduct(vi12, w0)
    a.v6.addProduct(.load(r + 13 &* p), w1)
    let vi14 = ChannelVector.load(r + 14 &* p)
    a.v6.addProduct(vi14, w2)
    a.v7.addProduct(vi14, w0)
    a.v7.addProduct(.load(r + 15 &* p), w1)
    a.v7.addProduct(.load(r + 16 &* p), w2)
  }
}

enum Row4Stride2: NHWC3x3Row {
  @inline(__always)
  static func row(
    _ a: inout Accumulators4, _ r: UnsafePointer<Float>, pixelStep p: Int,
    _ w: UnsafePointer<Float>, tapStep t: Int
  ) {
    let w0 = ChannelVector.load(w)
    let w1 = ChannelVector.load(w + t)
    let w2 = ChannelVector.load(w + 2 &* t)
    a.v0.addProduct(.load(r), w0)
    a.v0.addProduct(.load(r + p), w1)
    let vi2 = ChannelVector.load(r + 2 &* p)
    a.v0.addProduct(vi2, w2)
    a.v1.addProduct(vi2, w0)
    a.v1.addProduct(.load(r + 3 &* p), w1)
    let vi4 = ChannelVector.load(r + 4 &* p)
    a.v1.addProduct(vi4, w2)
    a.v2.addProduct(vi4, w0)
    a.v2.addProduct(.load(r + 5 &* p), w1)
    let vi6 = ChannelVector.load(r + 6 &* p)
    a.v2.addProduct(vi6, w2)
    a.v3.addProduct(vi6, w0)
    a.v3.addProduct(.load(r + 7 &* p), w1)
    a.v3.addProduct(.load(r + 8 &* p), w2)
  }
}
