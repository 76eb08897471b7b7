/// The random problems every variant must pass before it may be timed: odd sizes (1, 3, 7,
/// 13), stride 1 and 2, padding 0 and 1, kernels 1, 3 and 5, one channel and many (with
/// counts that are not multiples of a SIMD width), batch 1 and 3.
public enum ValidationProblems {
  /// `count` valid block shapes drawn from `seed` (the same list on every machine).
  public static func blockShapes(count: Int, seed: UInt64) -> [ConvProblem] {
    var generator = SplitMix64(seed: seed)
    let sizes = [1, 3, 7, 13]
    let channels = [1, 3, 8, 13, 17, 32]
    var result: [ConvProblem] = []
    while result.count < count {
      let kernel = [1, 3, 3, 3, 5].randomElement(using: &generator)!
      let pad = Int.random(in: 0...min(1, kernel - 1), using: &generator)
      if let p = try? ConvProblem(
        batch: [1, 1, 1, 3].randomElement(using: &generator)!,
        inChannels: channels.randomElement(using: &generator)!,
        height: sizes.randomElement(using: &generator)!,
        width: sizes.randomElement(using: &generator)!,
        outChannels: channels.randomElement(using: &generator)!, kernelH: kernel, kernelW: kernel,
        stride: Int.random(in: 1...2, using: &generator), pad: pad)
      {
        result.append(p)
      }
    }
    return result
  }

  /// Fixed shapes every validation includes: the smallest, tail-heavy SIMD cases, shapes past
  /// the GEMM's 256-deep K blocks and 256-wide column blocks, and a stride-1 3x3 shape without
  /// padding whose output (8x9) leaves Winograd's last tile column partial.
  public static let fixedShapes: [ConvProblem] = [
    try! ConvProblem(inChannels: 1, height: 1, width: 1, outChannels: 1, kernelH: 1, kernelW: 1),
    try! ConvProblem(
      inChannels: 1, height: 3, width: 3, outChannels: 1, kernelH: 3, kernelW: 3, pad: 1),
    try! ConvProblem(
      inChannels: 19, height: 9, width: 11, outChannels: 21, kernelH: 3, kernelW: 3, stride: 2,
      pad: 1),
    try! ConvProblem(
      inChannels: 24, height: 17, width: 19, outChannels: 40, kernelH: 3, kernelW: 3, pad: 1),
    try! ConvProblem(
      batch: 2, inChannels: 16, height: 8, width: 16, outChannels: 16, kernelH: 3, kernelW: 3,
      pad: 1),
    try! ConvProblem(
      inChannels: 300, height: 6, width: 9, outChannels: 270, kernelH: 3, kernelW: 3, pad: 1),
    try! ConvProblem(
      batch: 2, inChannels: 40, height: 7, width: 23, outChannels: 20, kernelH: 3, kernelW: 3,
      stride: 2, pad: 1),
    try! ConvProblem(
      inChannels: 5, height: 10, width: 11, outChannels: 9, kernelH: 3, kernelW: 3, pad: 0),
  ]
}
