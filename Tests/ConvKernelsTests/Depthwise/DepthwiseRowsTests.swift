import ConvKernels
import ConvKernelsAVX2
import Testing

/// The row-range APIs on a hand-made case: an all-ones 4x5 image, 3x3 kernel, pad 1, stride 1,
/// 9 channels (one vector plus a tail), every tap of channel c weighing c + 1. Output (c, oh, ow)
/// is then (c + 1) x (kernel rows inside the image) x (kernel columns inside the image); with
/// scale 0.5, shift -3 and ReLU it becomes max(0, 0.5 * that - 3). All values are exact.
@Suite(.enabled(if: DepthwiseTestCases.canRun("simd8"), "needs AVX2 + FMA"))
struct DepthwiseRowsTests {
  static let problem = try! ConvProblem.depthwise(
    channels: 9, h: 4, w: 5, kernel: 3, stride: 1, pad: 1)
  static let weights = (0..<9).flatMap { c in [Float](repeating: Float(c + 1), count: 9) }

  static func expected(c: Int, oh: Int, ow: Int) -> Float {
    let rowsInside: Float = (oh == 0 || oh == 3) ? 2 : 3
    let columnsInside: Float = (ow == 0 || ow == 4) ? 2 : 3
    return max(0, 0.5 * Float(c + 1) * rowsInside * columnsInside - 3)
  }

  @Test func nhwcRowsWithBNAndReLUMatchHandComputedValues() {
    let rows = DepthwiseRowsNHWC(
      Self.problem, weights: Self.weights, scale: [Float](repeating: 0.5, count: 9),
      shift: [Float](repeating: -3, count: 9), relu: true)
    let src = [Float](repeating: 1, count: 4 * 5 * 9)
    let rowPitch = 5 * 9 + 5  // 5 floats of padding after each row stay untouched
    var dst = [Float](repeating: .nan, count: 2 * rowPitch)
    src.withUnsafeBufferPointer { s in
      dst.withUnsafeMutableBufferPointer { d in
        rows.compute(rows: 1..<3, src: s.baseAddress!, dst: d.baseAddress!, rowPitch: rowPitch)
      }
    }
    for r in 0..<2 {
      for ow in 0..<5 {
        for c in 0..<9 {
          #expect(
            dst[r * rowPitch + ow * 9 + c] == Self.expected(c: c, oh: r + 1, ow: ow),
            "oh \(r + 1) ow \(ow) c \(c)")
        }
      }
      let padding = dst[(r * rowPitch + 45)..<(r * rowPitch + 50)]
      #expect(padding.filter { !$0.isNaN }.isEmpty, "row padding written")
    }
  }

  @Test func nchwRowsWithBNAndReLUMatchHandComputedValues() {
    let rows = DepthwiseRowsNCHW(
      Self.problem, weights: Self.weights, scale: [Float](repeating: 0.5, count: 9),
      shift: [Float](repeating: -3, count: 9), relu: true)
    let scratch = rows.makeScratch()
    let src = [Float](repeating: 1, count: 9 * 4 * 5)
    let rowPitch = 5 + 3
    let planePitch = 2 * rowPitch + 4
    var dst = [Float](repeating: .nan, count: 7 * planePitch)
    src.withUnsafeBufferPointer { s in
      dst.withUnsafeMutableBufferPointer { d in
        rows.compute(
          rows: 1..<3, channels: 2..<9, src: s.baseAddress!, dst: d.baseAddress!,
          rowPitch: rowPitch, planePitch: planePitch, scratch: scratch)
      }
    }
    var written = 0
    for (i, value) in dst.enumerated() {
      let (c, rest) = (i / planePitch + 2, i % planePitch)
      let (r, ow) = (rest / rowPitch, rest % rowPitch)
      if r < 2 && ow < 5 {
        #expect(value == Self.expected(c: c, oh: r + 1, ow: ow), "c \(c) oh \(r + 1) ow \(ow)")
        written += 1
      } else {
        #expect(value.isNaN, "padding at \(i) written")
      }
    }
    #expect(written == 7 * 2 * 5)
  }

  /// Contiguous rows narrower than 8 (7x7) store 8 lanes into the next row before it is
  /// stored; rows outside the range and the planes of other channels stay untouched.
  @Test(arguments: [1, 2])
  func nchwContiguousNarrowRowRangesWriteOnlyTheirRows(stride: Int) throws {
    let h = stride == 1 ? 7 : 13
    let problem = try ConvProblem.depthwise(
      channels: 5, h: h, w: h, kernel: 3, stride: stride, pad: 1)
    let (oh, ow) = (problem.outHeight, problem.outWidth)
    #expect(ow == 7)
    let weights = (0..<problem.weightCount).map { Float($0 % 5 - 2) }
    let src = (0..<problem.inputCount).map { Float($0 % 7 - 3) }
    let rows = DepthwiseRowsNCHW(problem, weights: weights)
    let plane = oh * ow
    var full = [Float](repeating: .nan, count: 5 * plane)
    src.withUnsafeBufferPointer { s in
      full.withUnsafeMutableBufferPointer { d in
        rows.compute(
          rows: 0..<oh, channels: 0..<5, src: s.baseAddress!, dst: d.baseAddress!, rowPitch: ow,
          planePitch: plane, scratch: rows.makeScratch())
      }
    }
    #expect(full.allSatisfy { $0.isFinite })
    for range in [2..<5, 0..<1, 6..<7] {
      var part = [Float](repeating: .nan, count: 5 * plane)
      src.withUnsafeBufferPointer { s in
        part.withUnsafeMutableBufferPointer { d in
          rows.compute(
            rows: range, channels: 1..<4, src: s.baseAddress!,
            dst: d.baseAddress! + plane + range.lowerBound * ow, rowPitch: ow, planePitch: plane,
            scratch: rows.makeScratch())
        }
      }
      var wrong = 0
      for (i, value) in part.enumerated() {
        let (c, r) = (i / plane, i % plane / ow)
        let owned = (1..<4).contains(c) && range.contains(r)
        if owned ? value.bitPattern != full[i].bitPattern : !value.isNaN { wrong += 1 }
      }
      #expect(wrong == 0, "rows \(range)")
    }
  }
}
