import ConvKernels
import Testing

@Suite struct CostTests {
  // Block shape: N=1, C_in=3, 4x4, C_out=5, 3x3, stride 2, pad 1 -> output 2x2
  // ((4+2-3)/2+1 = 2). Input 3*16 = 48 floats; depthwise output 3*4 = 12; output 5*4 = 20.
  let block = try! ConvProblem.standard(
    inChannels: 3, outChannels: 5, h: 4, w: 4, kernel: 3, stride: 2, pad: 1)

  /// MACs, FLOPs, params, BN params, minimum bytes.
  func fields(_ cost: OpCost) -> [Int] {
    [cost.macs, cost.flops, cost.params, cost.bnParams, cost.bytesMin]
  }

  @Test func convCostIsCountedByHand() {
    // MACs 5 out channels * 4 pixels * 3 in channels * 9 taps = 540; weights 5*3*9 = 135;
    // bytes 4 * (48 + 135 + 20) = 812.
    #expect(fields(block.cost(for: .conv)) == [540, 1080, 135, 0, 812])
  }

  @Test func depthwiseCostIsCountedByHand() {
    // MACs 3 channels * 4 pixels * 9 taps = 108; weights 3*9 = 27; bytes 4 * (48 + 27 + 12) = 348.
    #expect(fields(block.cost(for: .dw)) == [108, 216, 27, 0, 348])
  }

  @Test func pointwiseCostIsCountedByHand() {
    // On the 2x2 depthwise output: MACs 5 * 4 * 3 = 60; weights 15; bytes 4 * (12 + 15 + 20) = 188.
    #expect(fields(block.cost(for: .pw)) == [60, 120, 15, 0, 188])
  }

  @Test func standardBlockCostIsCountedByHand() {
    // FLOPs 2*540 + 3 per output (BN scale, shift, ReLU) * 20 = 1140; BN params 4 * 5 = 20;
    // bytes 4 * (48 + 135 + 2*5 + 20) = 852.
    #expect(
      fields(block.cost(for: .convBlock)) == [540, 1140, 135, 20, 852])
  }

  @Test func separableBlockCostIsCountedByHand() {
    // MACs 108 + 60 = 168; FLOPs 2*168 + 3*12 + 3*20 = 432; weights 27 + 15 = 42;
    // BN params 4 * (3 + 5) = 32; bytes 4 * (48 + 27 + 15 + 2*(3+5) + 20) = 504.
    #expect(
      fields(block.cost(for: .sepBlock)) == [168, 432, 42, 32, 504])
  }

  @Test func batchMultipliesActivationsButNotWeights() throws {
    let two = try ConvProblem.standard(
      batch: 2, inChannels: 3, outChannels: 5, h: 4, w: 4, kernel: 3, stride: 2, pad: 1)
    // MACs 2 * 540; bytes 4 * (96 + 135 + 40) = 1084.
    #expect(fields(two.cost(for: .conv)) == [1080, 2160, 135, 0, 1084])
  }

  @Test func paddedTapsCount() throws {
    // 1x1 input, 3x3 kernel, pad 1: 8 of the 9 taps read padding, yet MACs = 9.
    let p = try ConvProblem.depthwise(channels: 1, h: 1, w: 1, kernel: 3, pad: 1)
    #expect(p.macs == 9)
  }

  @Test func arithmeticIntensityIsFlopsPerByte() {
    #expect(block.cost(for: .conv).arithmeticIntensity == 1080.0 / 812.0)
  }

  // sep / std = (H'W'·C_in·K² + H'W'·C_in·C_out) / (H'W'·C_in·C_out·K²) = 1/C_out + 1/K², i.e.
  // sep · C_out · K² == std · (K² + C_out), exactly on the integers. It holds for stride 2
  // too, since both parts run at the output resolution.
  @Test(arguments: [1, 3, 5, 7])
  func separableMACRatioIsExactlyOneOverCOutPlusOneOverKSquared(kernel: Int) throws {
    for (cIn, cOut, size, stride) in [
      (1, 1, 7, 1), (3, 8, 13, 1), (32, 64, 14, 1), (128, 128, 56, 1), (17, 5, 9, 2),
    ] {
      let p = try ConvProblem.standard(
        inChannels: cIn, outChannels: cOut, h: size, w: size, kernel: kernel, stride: stride,
        pad: ConvProblem.samePad(kernel: kernel))
      let separable = p.cost(for: .sepBlock).macs
      let standard = p.cost(for: .convBlock).macs
      let k2 = kernel * kernel
      #expect(separable * cOut * k2 == standard * (k2 + cOut), "\(p.descriptor)")
      #expect(abs(p.separableMACRatio - (1 / Double(cOut) + 1 / Double(k2))) < 1e-12)
    }
  }
}
