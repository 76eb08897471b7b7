import ConvKernels
import ConvKernelsAVX2
import ConvKernelsAVX512
import Testing

/// The NHWC depthwise rows on 16-channel vectors (AVX-512) against the same source on 8-channel
/// vectors (AVX2): every output is 0 plus one FMA per in-image tap in (kh, kw) order on every
/// path (sliding-window blocks, the generic tiles, the one-pixel border path, the scalar
/// channel tail), so on random data the two must be bitwise equal, with the BN + ReLU
/// epilogue too, and write nothing past the channels of a pixel.
@Suite(.enabled(if: ISA.avx512.isSupported, "needs AVX-512 F/VL/BW/DQ"))
struct DepthwiseRows16Tests {
  /// Channel counts around 8, 16 and 64 (four vectors of the border path), and 128 and 256
  /// (512 and 1024 bytes a pixel: 4-pixel blocks over pairs of vectors); 3x3 (the sliding
  /// window) and 5x5 (the generic tiles); strides 1 and 2; widths that leave 8-, 4- and
  /// 1-pixel blocks.
  @Test(arguments: [1, 7, 8, 16, 24, 40, 72, 128, 256], [(3, 1), (3, 2), (5, 1), (5, 2)])
  func bitwiseEqualToTheEightWideRows(channels: Int, kernel: (size: Int, stride: Int)) throws {
    for (h, w) in [(5, 5), (9, 14), (7, 23)] {
      let problem = try ConvProblem.depthwise(
        channels: channels, h: h, w: w, kernel: kernel.size, stride: kernel.stride,
        pad: kernel.size / 2)
      var random = SplitMix64(seed: UInt64(channels * 1000 + h * 10 + kernel.size))
      func values(_ count: Int) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1..<1, using: &random) }
      }
      let weights = values(problem.weightCount)
      let scale = values(channels)
      let shift = values(channels)
      let src = values(h * w * channels)
      let pixelPitch = channels + 3
      let rowPitch = problem.outWidth * pixelPitch + 2
      func output(avx512: Bool) -> [Float] {
        var dst = [Float](repeating: .nan, count: problem.outHeight * rowPitch)
        src.withUnsafeBufferPointer { s in
          dst.withUnsafeMutableBufferPointer { d in
            if avx512 {
              ConvKernelsAVX512.DepthwiseRowsNHWC(
                problem, weights: weights, scale: scale, shift: shift, relu: true
              ).compute(
                rows: 0..<problem.outHeight, src: s.baseAddress!, dst: d.baseAddress!,
                rowPitch: rowPitch, pixelPitch: pixelPitch)
            } else {
              ConvKernelsAVX2.DepthwiseRowsNHWC(
                problem, weights: weights, scale: scale, shift: shift, relu: true
              ).compute(
                rows: 0..<problem.outHeight, src: s.baseAddress!, dst: d.baseAddress!,
                rowPitch: rowPitch, pixelPitch: pixelPitch)
            }
          }
        }
        return dst
      }
      let eight = output(avx512: false)
      let sixteen = output(avx512: true)
      #expect(
        zip(eight, sixteen).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) },
        "\(problem.descriptor)")
      // Every channel of every pixel written; the padding between pixels and rows untouched.
      for oh in 0..<problem.outHeight {
        for ow in 0..<problem.outWidth {
          let pixel = oh * rowPitch + ow * pixelPitch
          #expect(!sixteen[pixel..<(pixel + channels)].contains { $0.isNaN })
          #expect(sixteen[(pixel + channels)..<(pixel + pixelPitch)].allSatisfy { $0.isNaN })
        }
      }
    }
  }
}

extension DepthwiseRows16Tests {
  /// Channel ranges of 3 vectors (a pair, then a single vector), 2 vectors and the rest give
  /// the bits of one call over all channels, on the pair path (128 and 256 channels).
  @Test(arguments: [128, 256], [1, 2])
  func channelRangesOnThePairPathMatchOneCall(channels: Int, stride: Int) throws {
    let problem = try ConvProblem.depthwise(
      channels: channels, h: 9, w: 14, kernel: 3, stride: stride, pad: 1)
    var random = SplitMix64(seed: UInt64(channels + stride))
    let weights = (0..<problem.weightCount).map { _ in Float.random(in: -1..<1, using: &random) }
    let src = (0..<problem.inputCount).map { _ in Float.random(in: -1..<1, using: &random) }
    let rows = ConvKernelsAVX512.DepthwiseRowsNHWC(problem, weights: weights)
    let rowPitch = problem.outWidth * channels
    var whole = [Float](repeating: .nan, count: problem.outHeight * rowPitch)
    var split = whole
    src.withUnsafeBufferPointer { s in
      whole.withUnsafeMutableBufferPointer { d in
        rows.compute(
          rows: 0..<problem.outHeight, src: s.baseAddress!, dst: d.baseAddress!,
          rowPitch: rowPitch)
      }
      split.withUnsafeMutableBufferPointer { d in
        for range in [0..<48, 48..<80, 80..<channels] {
          rows.compute(
            rows: 0..<problem.outHeight, channels: range, src: s.baseAddress!,
            dst: d.baseAddress!, rowPitch: rowPitch, pixelPitch: channels)
        }
      }
    }
    #expect(!whole.contains { $0.isNaN })
    let differing = zip(split, whole).filter { $0.bitPattern != $1.bitPattern }.count
    #expect(differing == 0, "\(problem.descriptor)")
  }
}
