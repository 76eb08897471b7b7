import ConvKernels
import ConvKernelsAVX2
import Testing

/// The NHWC pointwise kernel splits along the axis whose tasks read the smaller operand whole:
/// channels where the weights outweigh the input (fewer pixels than output channels), pixels
/// otherwise.
@Suite struct PointwiseSplitTests {
  static func split(height: Int, width: Int, inChannels: Int, outChannels: Int) throws
    -> OutputSplit
  {
    let problem = try ConvProblem.pointwise(
      inChannels: inChannels, outChannels: outChannels, h: height, w: width)
    let kernel = PointwiseGEMMKernel(
      problem, layout: .nhwc, threads: 2, pool: WorkerPool.with(threads: 2),
      weights: [Float](repeating: 0.5, count: inChannels * outChannels), bias: nil, relu: false)
    return kernel.split
  }

  /// 14x14 pixels, 512 -> 512: 196 pixels split evenly in 6-pixel quanta (33 of them), yet the
  /// eight tasks take 64 channels each, all 196 pixels.
  @Test func fewerPixelsThanOutputChannelsSplitTheChannels() throws {
    let split = try Self.split(height: 14, width: 14, inChannels: 512, outChannels: 512)
    #expect(split.axis == .columns && split.tasks == 8)
    #expect(split.rowRange(3) == 0..<196 && split.columnRange(3) == 192..<256)
  }

  /// 28x28 pixels, 256 -> 256, and 14x14 with as many output channels as pixels: by pixels.
  @Test func asManyPixelsAsOutputChannelsOrMoreSplitThePixels() throws {
    for (side, channels) in [(28, 256), (14, 196)] {
      let split = try Self.split(
        height: side, width: side, inChannels: channels, outChannels: channels)
      #expect(split.axis == .rows && split.tasks == 8, "\(side)x\(side), \(channels) channels")
      #expect(split.columnRange(0) == 0..<channels && split.rowRange(0).lowerBound == 0)
    }
  }
}
