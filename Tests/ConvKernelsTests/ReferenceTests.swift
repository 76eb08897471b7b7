import ConvKernels
import KernelCatalog
import Testing

/// Tiny problems whose outputs are computed by hand, checked on the reference and on the naive
/// variant of each operator in both layouts. Values are small integers, so Float results are
/// exact and the checks use `==`.
@Suite struct ReferenceTests {
  /// x = w = [[1, 2, 3], [4, 5, 6], [7, 8, 9]] (row-major 1...9).
  static let oneToNine: [Float] = (1...9).map(Float.init)
  static let ones = [Float](repeating: 1, count: 9)

  // 3x3 kernel 1...9 on input 1...9 with pad 1 (correlation: out(i,j) = Σ w[a][b] x[i-1+a][j-1+b]):
  //   (0,0): w11*x00 + w12*x01 + w21*x10 + w22*x11 = 5*1 + 6*2 + 8*4 + 9*5       = 94
  //   (0,1): 4*1 + 5*2 + 6*3 + 7*4 + 8*5 + 9*6                                  = 154
  //   (0,2): w10*x01 + w11*x02 + w20*x11 + w21*x12 = 4*2 + 5*3 + 7*5 + 8*6       = 106
  //   (1,0): 2*1 + 3*2 + 5*4 + 6*5 + 8*7 + 9*8                                  = 186
  //   (1,1): 1² + 2² + ... + 9²                                                 = 285
  //   (1,2): 1*2 + 2*3 + 4*5 + 5*6 + 7*8 + 8*9                                  = 186
  //   (2,0): w01*x10 + w02*x11 + w11*x20 + w12*x21 = 2*4 + 3*5 + 5*7 + 6*8       = 106
  //   (2,1): 1*4 + 2*5 + 3*6 + 4*7 + 5*8 + 6*9                                  = 154
  //   (2,2): w00*x11 + w01*x12 + w10*x21 + w11*x22 = 1*5 + 2*6 + 4*8 + 5*9       = 94
  // A flipped kernel would give 26 at (0,0).
  static let plusOneToNine: [Float] = [94, 154, 106, 186, 285, 186, 106, 154, 94]
  // Box sum of ones with pad 1: corners see 4 taps, edges 6, the centre 9.
  static let boxOfOnes: [Float] = [4, 6, 4, 6, 9, 6, 4, 6, 4]

  /// The output of the naive variant of `op` in `layout`, back in NCHW.
  func naive(
    _ op: Op, _ problem: ConvProblem, _ parameters: OpParameters, _ input: [Float], _ layout: Layout
  )
    throws -> [Float]
  {
    let part = problem.part(for: op)
    let family = try #require(VariantRegistry.family(op: op, named: "naive"))
    let variant = family.init(layout: layout, threads: 1)
    let src = Tensor(shape: part.inputShape(for: op), layout: .nchw, values: input).converted(
      to: layout)
    let dst = Tensor(shape: part.outputShape(for: op), layout: layout, value: .nan)
    variant.prepare(problem, parameters, pool: .shared).run(src.pointer, dst.pointer)
    return dst.converted(to: .nchw).values
  }

  /// Checks the reference and the naive variant (both layouts) against `expected`.
  func check(
    _ op: Op, _ problem: ConvProblem, _ parameters: OpParameters, _ input: [Float],
    _ expected: [Float]
  )
    throws
  {
    let reference = Reference.run(op: op, problem: problem, parameters: parameters, input: input)
    #expect(reference == expected.map(Double.init), "reference \(op.rawValue)")
    for layout in Layout.allCases {
      #expect(
        try naive(op, problem, parameters, input, layout) == expected,
        "naive \(op.rawValue) \(layout)")
    }
  }

  /// BN with epsilon 0 and the given per-channel values.
  func norm(gamma: [Float], beta: [Float], mean: [Float], variance: [Float]) -> BatchNorm {
    BatchNorm(gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: 0)
  }

  @Test func convOfOneToNineWithPadOne() throws {
    let p = try ConvProblem.standard(inChannels: 1, outChannels: 1, h: 3, w: 3, kernel: 3, pad: 1)
    try check(.conv, p, OpParameters(weights: Self.oneToNine), Self.oneToNine, Self.plusOneToNine)
  }

  @Test func convWithStrideTwoKeepsTheCorners() throws {
    // Outputs (0,0), (0,2), (2,0), (2,2) of the stride-1 result.
    let p = try ConvProblem.standard(
      inChannels: 1, outChannels: 1, h: 3, w: 3, kernel: 3, stride: 2, pad: 1)
    try check(.conv, p, OpParameters(weights: Self.oneToNine), Self.oneToNine, [94, 106, 106, 94])
  }

  @Test func convSumsInputChannelsPerOutputChannel() throws {
    // Input channel 0 = 1...9, channel 1 = ones. Weights OIHW:
    //   out 0: in 0 = 1...9, in 1 = ones  -> plusOneToNine + boxOfOnes
    //   out 1: in 0 = only w[2][2] = 1 (out(i,j) = x[i+1][j+1]), in 1 = zeros
    //          -> [[5, 6, 0], [8, 9, 0], [0, 0, 0]]
    let p = try ConvProblem.standard(inChannels: 2, outChannels: 2, h: 3, w: 3, kernel: 3, pad: 1)
    let shift: [Float] = [0, 0, 0, 0, 0, 0, 0, 0, 1]
    let weights = Self.oneToNine + Self.ones + shift + [Float](repeating: 0, count: 9)
    let out0 = zip(Self.plusOneToNine, Self.boxOfOnes).map(+)  // 98, 160, 110, 192, 294, ...
    try check(
      .conv, p, OpParameters(weights: weights), Self.oneToNine + Self.ones,
      out0 + [5, 6, 0, 8, 9, 0, 0, 0, 0])
  }

  @Test func depthwiseKeepsChannelsApart() throws {
    // Channel 0: 1...9 with kernel 1...9; channel 1: ones with a kernel of ones.
    let block = try ConvProblem.standard(
      inChannels: 2, outChannels: 2, h: 3, w: 3, kernel: 3, pad: 1)
    try check(
      .dw, block, OpParameters(weights: Self.oneToNine + Self.ones), Self.oneToNine + Self.ones,
      Self.plusOneToNine + Self.boxOfOnes)
  }

  @Test func pointwiseIsAMatrixProduct() throws {
    // x: channel 0 = [1, 2], channel 1 = [3, 4] (a 1x2 image); w = [[1, 2], [3, 4], [5, 6]].
    //   out 0 = 1*[1,2] + 2*[3,4] = [7, 10]; out 1 = 3*[1,2] + 4*[3,4] = [15, 22];
    //   out 2 = 5*[1,2] + 6*[3,4] = [23, 34].
    let p = try ConvProblem.pointwise(inChannels: 2, outChannels: 3, h: 1, w: 2)
    try check(
      .pw, p, OpParameters(weights: [1, 2, 3, 4, 5, 6]), [1, 2, 3, 4], [7, 10, 15, 22, 23, 34])
  }

  @Test func standardBlockAppliesBatchNormThenReLU() throws {
    // BN: gamma 3, variance 0.25 (sqrt = 0.5), mean 100, beta 0 -> y = 6 * (x - 100), then ReLU:
    //   94 -> -36 -> 0; 154 -> 324; 106 -> 36; 186 -> 516; 285 -> 1110.
    let p = try ConvProblem.standard(inChannels: 1, outChannels: 1, h: 3, w: 3, kernel: 3, pad: 1)
    let parameters = OpParameters(
      weights: Self.oneToNine, norm: norm(gamma: [3], beta: [0], mean: [100], variance: [0.25]))
    try check(.convBlock, p, parameters, Self.oneToNine, [0, 324, 36, 516, 1110, 516, 36, 324, 0])
  }

  @Test func separableBlockChainsBothStages() throws {
    // dw: channel 0 -> plusOneToNine, channel 1 -> boxOfOnes.
    // BN 1 + ReLU: channel 0 y = x - 100 -> a = [0, 54, 6, 86, 185, 86, 6, 54, 0];
    //              channel 1 y = x - 5   -> b = [0, 1, 0, 1, 4, 1, 0, 1, 0].
    // pw [[1, 1], [1, -10]]: out 0 = a + b = [0, 55, 6, 87, 189, 87, 6, 55, 0];
    //                        out 1 = a - 10 b = [0, 44, 6, 76, 145, 76, 6, 44, 0].
    // BN 2 + ReLU: channel 0 identity; channel 1 y = x - 50 -> [0, 0, 0, 26, 95, 26, 0, 0, 0].
    let block = try ConvProblem.standard(
      inChannels: 2, outChannels: 2, h: 3, w: 3, kernel: 3, pad: 1)
    let parameters = OpParameters(
      weights: Self.oneToNine + Self.ones,
      norm: norm(gamma: [1, 1], beta: [0, -5], mean: [100, 0], variance: [1, 1]),
      pointwiseWeights: [1, 1, 1, -10],
      pointwiseNorm: norm(gamma: [1, 1], beta: [0, 0], mean: [0, 50], variance: [1, 1]))
    try check(
      .sepBlock, block, parameters, Self.oneToNine + Self.ones,
      [0, 55, 6, 87, 189, 87, 6, 55, 0] + [0, 0, 0, 26, 95, 26, 0, 0, 0])
  }

  @Test func accumulationLengthCountsProductsPerOutput() throws {
    let block = try ConvProblem.standard(
      inChannels: 8, outChannels: 4, h: 5, w: 5, kernel: 3, pad: 1)
    #expect(Reference.accumulationLength(op: .conv, problem: block) == 72)
    #expect(Reference.accumulationLength(op: .dw, problem: block) == 9)
    #expect(Reference.accumulationLength(op: .pw, problem: block) == 8)
    #expect(Reference.accumulationLength(op: .sepBlock, problem: block) == 17)
  }
}
