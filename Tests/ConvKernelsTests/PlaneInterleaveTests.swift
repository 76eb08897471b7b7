import ConvKernels
import Testing

@Suite struct PlaneInterleaveTests {
  /// Pixels 2..<6 of a 3 x 4 image (plane stride 12), with 1, 3 (the unrolled path) and 5
  /// channels: every output is the value its (channel, pixel) names.
  @Test(arguments: [1, 3, 5])
  func copiesARunOfPixelsFromThePlanes(channels: Int) {
    let planeStride = 12
    let src = (0..<(channels * planeStride)).map { Float($0) }  // value = c * 12 + p
    var dst = [Float](repeating: .nan, count: 4 * channels + 1)
    src.withUnsafeBufferPointer { s in
      dst.withUnsafeMutableBufferPointer {
        PlaneInterleave.copy(
          s.baseAddress! + 2, planeStride: planeStride, channels: channels, pixels: 4,
          into: $0.baseAddress!)
      }
    }
    let expected = (0..<4).flatMap { p in (0..<channels).map { c in Float(c * 12 + 2 + p) } }
    #expect(Array(dst.prefix(4 * channels)) == expected)
    #expect(dst.last!.isNaN, "nothing written past the run")
  }
}
