import ConvKernels
import ConvKernelsAVX2
import TestSupport
import Testing

/// The 3x3 stride 1 / stride 2 NHWC path: 8- and 4-pixel sliding-window blocks, overlapping
/// last blocks, one-pixel borders and the generic channel tail.
@Suite(.enabled(if: DepthwiseTestCases.canRun("simd8"), "needs AVX2 + FMA"))
struct DepthwiseSIMD8NHWC3x3Tests {
  /// Output widths 1...21 at stride 1 and 2, pad 0 and 1: no block, one 4-block, a 4-block
  /// plus one pixel, overlapping 4- and 8-blocks, several 8-blocks; odd heights.
  static func widthShapes(channels: Int) -> [ConvProblem] {
    var shapes: [ConvProblem] = []
    for w in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 19, 23, 29, 31, 43] {
      for stride in [1, 2] {
        for pad in [0, 1] {
          if let p = try? ConvProblem.depthwise(
            channels: channels, h: 5, w: w, kernel: 3, stride: stride, pad: pad)
          {
            shapes.append(p)
          }
        }
      }
    }
    return shapes
  }

  @Test(arguments: [1, 7, 8, 9, 15, 16, 29])
  func everyWidthAndChannelTailMatchesReference(channels: Int) {
    for problem in Self.widthShapes(channels: channels) {
      let check = KernelTester(.dw, problem, seed: 13).run(
        DepthwiseTestCases.variant("simd8", .nhwc))
      #expect(check.nonFiniteOutputs == 0, "\(problem)")
      #expect(check.maxAbsError <= check.tolerance, "\(problem) at \(check.worstIndex)")
    }
  }

  /// 128 and 256 channels (512 and 1024 bytes a pixel) take 4-pixel blocks over pairs of
  /// vectors of channels. On random non-integer data, every output equals bit for bit a scalar
  /// sum that starts at 0 and adds one fused multiply-add per in-image tap in (kh, kw) order
  /// (the order of the 8-pixel blocks and of every other path), at every width, stride and
  /// padding; and channel ranges of an odd number of vectors (a pair, then a single vector)
  /// give the same bits as one call over all channels.
  @Test(arguments: [128, 256])
  func pairsOfChannelVectorsAddTheirTapsInOrder(channels c: Int) throws {
    var rng = SplitMix64(seed: UInt64(c))
    for problem in Self.widthShapes(channels: c) {
      let weights = (0..<problem.weightCount).map { _ in rng.nextSignedUnitFloat() }
      let src = (0..<problem.inputCount).map { _ in rng.nextSignedUnitFloat() }
      let rows = DepthwiseRowsNHWC(problem, weights: weights)
      let (oh, ow) = (problem.outHeight, problem.outWidth)
      var whole = [Float](repeating: .nan, count: oh * ow * c)
      var split = whole
      src.withUnsafeBufferPointer { s in
        whole.withUnsafeMutableBufferPointer { d in
          rows.compute(rows: 0..<oh, src: s.baseAddress!, dst: d.baseAddress!, rowPitch: ow * c)
        }
        split.withUnsafeMutableBufferPointer { d in
          for range in [0..<24, 24..<40, 40..<c] {
            rows.compute(
              rows: 0..<oh, channels: range, src: s.baseAddress!, dst: d.baseAddress!,
              rowPitch: ow * c, pixelPitch: c)
          }
        }
      }
      var want = [Float](repeating: 0, count: oh * ow * c)
      for y in 0..<oh {
        for x in 0..<ow {
          for channel in 0..<c {
            var acc: Float = 0
            for kh in 0..<3 {
              let ih = y * problem.stride - problem.pad + kh
              guard ih >= 0 && ih < problem.height else { continue }
              for kw in 0..<3 {
                let iw = x * problem.stride - problem.pad + kw
                guard iw >= 0 && iw < problem.width else { continue }
                acc = acc.addingProduct(
                  src[(ih * problem.width + iw) * c + channel], weights[channel * 9 + kh * 3 + kw])
              }
            }
            want[(y * ow + x) * c + channel] = acc
          }
        }
      }
      #expect(whole.map(\.bitPattern) == want.map(\.bitPattern), "\(problem)")
      #expect(split.map(\.bitPattern) == want.map(\.bitPattern), "\(problem), split")
    }
  }

  @Test func mobileNetShapesMatchReference() throws {
    for (c, h, s) in [
      (32, 112, 1), (64, 112, 2), (128, 56, 2), (256, 28, 2), (512, 14, 1), (1024, 7, 1),
    ] {
      let problem = try ConvProblem.depthwise(channels: c, h: h, w: h, kernel: 3, stride: s, pad: 1)
      let check = KernelTester(.dw, problem, seed: 17).run(
        DepthwiseTestCases.variant("simd8", .nhwc))
      #expect(check.nonFiniteOutputs == 0, "\(problem)")
      #expect(check.maxAbsError <= check.tolerance, "\(problem) at \(check.worstIndex)")
    }
  }

  @Test func twoThreadsMatchOneThreadBitwise() throws {
    let shapes = [
      try ConvProblem.depthwise(channels: 40, h: 7, w: 7, kernel: 3, stride: 1, pad: 1),
      try ConvProblem.depthwise(channels: 24, h: 15, w: 13, kernel: 3, stride: 2, pad: 1),
      try ConvProblem.depthwise(batch: 2, channels: 17, h: 9, w: 21, kernel: 3, stride: 1, pad: 0),
    ]
    for problem in shapes {
      let (one, two) = DepthwiseTestCases.oneAndTwoThreads("simd8", .nhwc, problem)
      #expect(one == two, "\(problem)")
    }
  }

  /// The row-range API with BN + ReLU gives, bit for bit, `max(0, shift + scale * acc)` (one
  /// FMA) of the plain output, on any row range and with padded pitches; padding stays untouched.
  @Test(arguments: [1, 2])
  func rowRangesWithEpilogueEqualPlainOutputBitwise(stride: Int) throws {
    let c = 19
    let problem = try ConvProblem.depthwise(
      channels: c, h: 11, w: 13, kernel: 3, stride: stride, pad: 1)
    var rng = SplitMix(seed: 5)
    let weights = (0..<problem.weightCount).map { _ in rng.nextSmall() }
    let scale = (0..<c).map { _ in rng.nextSmall() / 4 }
    let shift = (0..<c).map { _ in rng.nextSmall() }
    let src = (0..<problem.inputCount).map { _ in rng.nextSmall() }
    let (oh, ow) = (problem.outHeight, problem.outWidth)

    let plain = DepthwiseRowsNHWC(problem, weights: weights)
    var full = [Float](repeating: .nan, count: oh * ow * c)
    src.withUnsafeBufferPointer { s in
      full.withUnsafeMutableBufferPointer { d in
        plain.compute(rows: 0..<oh, src: s.baseAddress!, dst: d.baseAddress!, rowPitch: ow * c)
      }
    }
    #expect(full.allSatisfy { $0.isFinite })

    let fused = DepthwiseRowsNHWC(problem, weights: weights, scale: scale, shift: shift, relu: true)
    let pixelPitch = c + 3
    let rowPitch = ow * pixelPitch + 5
    for rows in [0..<oh, 0..<1, 1..<(oh - 1), (oh - 2)..<oh] {
      var out = [Float](repeating: .nan, count: rows.count * rowPitch)
      src.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { d in
          fused.compute(
            rows: rows, channels: 0..<c, src: s.baseAddress!, dst: d.baseAddress!,
            rowPitch: rowPitch, pixelPitch: pixelPitch)
        }
      }
      var mismatches = 0
      var written = 0
      for (i, value) in out.enumerated() {
        let (r, rest) = (i / rowPitch, i % rowPitch)
        let (x, ch) = (rest / pixelPitch, rest % pixelPitch)
        if x < ow && ch < c {
          let acc = full[((rows.lowerBound + r) * ow + x) * c + ch]
          let expected = max(0, shift[ch].addingProduct(acc, scale[ch]))
          if value.bitPattern != expected.bitPattern { mismatches += 1 }
          written += 1
        } else if !value.isNaN {
          mismatches += 1
        }
      }
      #expect(mismatches == 0, "rows \(rows)")
      #expect(written == rows.count * ow * c)
    }
  }
}

/// Small integers in -4...4 from a fixed seed (exact sums).
private struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func nextSmall() -> Float { Float(Int(next() % 9) - 4) }
}
