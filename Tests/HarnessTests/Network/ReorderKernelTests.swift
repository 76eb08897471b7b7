import ConvKernels
import Harness
import Testing

@Suite struct ReorderKernelTests {
  /// Every element lands at its NHWC place, for the unrolled RGB path and the general one:
  /// element (c, y, x) holds 1000c + 10y + x, so a misplaced value names where it came from.
  @Test(arguments: [(3, 5, 7), (3, 1, 1), (1, 4, 3), (5, 3, 2), (8, 2, 9)])
  func everyChannelOfEveryPixelLandsInPlace(channels: Int, height: Int, width: Int) {
    let shape = TensorShape(n: 1, c: channels, h: height, w: width)
    var planar: [Float] = []
    for c in 0..<channels {
      for y in 0..<height {
        for x in 0..<width { planar.append(Float(1000 * c + 10 * y + x)) }
      }
    }
    let source = Tensor(shape: shape, layout: .nchw, values: planar)
    let target = Tensor(shape: shape, layout: .nhwc)
    ReorderKernel(shape: shape).run(source.pointer, target.pointer)
    var expected: [Float] = []
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<channels { expected.append(Float(1000 * c + 10 * y + x)) }
      }
    }
    #expect(target.values == expected)
  }
}
