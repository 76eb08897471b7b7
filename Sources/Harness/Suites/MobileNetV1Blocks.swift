import ConvKernels

/// The 13 depthwise-separable blocks of MobileNetV1 1.0/224 (Howard et al. 2017, Table 1) as
/// block shapes: C_in, C_out, input size, stride; 3x3 kernels with padding 1. The last block
/// runs at stride 1, as in the reference implementation (Table 1's "s2" there would halve a
/// 7x7 map that the following 7x7 average pool still expects).
enum MobileNetV1Blocks {
  static let layout: [(cIn: Int, cOut: Int, size: Int, stride: Int)] = [
    (32, 64, 112, 1), (64, 128, 112, 2), (128, 128, 56, 1), (128, 256, 56, 2),
    (256, 256, 28, 1), (256, 512, 28, 2), (512, 512, 14, 1), (512, 512, 14, 1),
    (512, 512, 14, 1), (512, 512, 14, 1), (512, 512, 14, 1), (512, 1024, 14, 2),
    (1024, 1024, 7, 1),
  ]

  static let blocks: [SuiteCase] = layout.enumerated().map { index, block in
    let name = "mbv1.b" + (index + 1 < 10 ? "0" : "") + "\(index + 1)"
    let problem = try! ConvProblem.standard(
      inChannels: block.cIn, outChannels: block.cOut, h: block.size, w: block.size, kernel: 3,
      stride: block.stride, pad: 1)
    return SuiteCase(name: name, problem: problem)
  }
}
