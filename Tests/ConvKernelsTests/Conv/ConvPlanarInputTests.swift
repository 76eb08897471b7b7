import ConvKernels
import ConvKernelsAVX2
import Testing

@Suite(.enabled(if: ISA.avx2.isSupported, "needs AVX2 and FMA"))
struct ConvPlanarInputTests {
  /// The kernel's NHWC output for `problem` on an NCHW input, and the Double reference of
  /// conv + bias (+ ReLU), also NHWC.
  static func outputs(
    _ problem: ConvProblem, algorithm: PlanarStemAlgorithm, threads: Int, relu: Bool,
    seed: UInt64
  ) -> (got: [Float], want: [Double]) {
    var rng = SplitMix64(seed: seed)
    let input = (0..<problem.inputCount).map { _ in rng.nextSignedUnitFloat() }
    let weights = (0..<problem.weightCount).map { _ in rng.nextSignedUnitFloat() }
    let bias = (0..<problem.outChannels).map { _ in rng.nextSignedUnitFloat() }
    let kernel = BlockConvEngine.preparePlanarInput(
      problem, algorithm: algorithm, threads: threads, pool: .with(threads: threads),
      weights: weights, bias: bias, relu: relu)
    var got = [Float](repeating: .nan, count: problem.outputCount)
    input.withUnsafeBufferPointer { src in
      got.withUnsafeMutableBufferPointer { kernel.run(src.baseAddress!, $0.baseAddress!) }
    }
    let nchw = Reference.convolution(problem, input.map(Double.init), weights)
    let shape = TensorShape(
      n: problem.batch, c: problem.outChannels, h: problem.outHeight, w: problem.outWidth)
    var want = [Double](repeating: 0, count: problem.outputCount)
    for n in 0..<shape.n {
      for c in 0..<shape.c {
        for y in 0..<shape.h {
          for x in 0..<shape.w {
            let value = nchw[shape.index(n, c, y, x, in: .nchw)] + Double(bias[c])
            want[shape.index(n, c, y, x, in: .nhwc)] = relu ? max(0, value) : value
          }
        }
      }
    }
    return (got, want)
  }

  /// Shapes as (batch, C_in, C_out, H, W, kernel, stride, padding): RGB stems (stride 2,
  /// padding 1), odd sizes, 1 to 5 input channels, kernels 1, 3, 5 and 7, batch 2 and 3,
  /// images larger than one gathered block, and images whose every pixel crosses the padding.
  /// Output channels 32 (one pair of panels), 16 (one panel), 48 (a pair and a panel), 8, 17,
  /// 33, 40 and 6 (partial panels), 160 on few pixels (on 2 threads a column split, with a
  /// task that starts at an odd panel). K = 576, above one GEMM K block.
  static let shapes = [
    (1, 3, 32, 224, 224, 3, 2, 1), (1, 3, 8, 9, 11, 3, 2, 1), (2, 1, 17, 13, 10, 3, 1, 1),
    (1, 5, 40, 20, 23, 5, 2, 2), (1, 3, 24, 31, 29, 7, 2, 3), (1, 4, 6, 7, 7, 1, 1, 0),
    (3, 2, 33, 6, 5, 3, 3, 0), (1, 3, 16, 33, 35, 3, 2, 1), (1, 3, 48, 12, 14, 3, 1, 1),
    (1, 2, 32, 2, 3, 3, 1, 1), (1, 64, 20, 9, 8, 3, 1, 1), (1, 3, 160, 5, 6, 3, 1, 1),
  ]

  /// Each shape and algorithm against the reference within the rounding of its sum.
  @Test(arguments: shapes, PlanarStemAlgorithm.allCases)
  func matchesTheReferenceInNHWC(
    shape: (Int, Int, Int, Int, Int, Int, Int, Int), algorithm: PlanarStemAlgorithm
  ) throws {
    let (n, cin, cout, h, w, k, s, pad) = shape
    let problem = try ConvProblem.standard(
      batch: n, inChannels: cin, outChannels: cout, h: h, w: w, kernel: k, stride: s, pad: pad)
    let depth = cin * k * k
    for relu in [false, true] {
      let (got, want) = Self.outputs(
        problem, algorithm: algorithm, threads: 1, relu: relu, seed: 11)
      var worst = 0.0
      for (g, r) in zip(got, want) { worst = max(worst, abs(Double(g) - r)) }
      // |a|, |w| <= 1 and |bias| <= 1: each output is a sum of depth + 1 terms of size <= 1.
      let bound = 2 * Double(depth + 1) * Double(Float.ulpOfOne) * Double(depth + 1)
      #expect(
        worst <= bound,
        "\(algorithm) \(problem.descriptor) relu \(relu): error \(worst) > \(bound)")
      #expect(got.allSatisfy { !$0.isNaN }, "\(problem.descriptor): an output was not written")
    }
  }

  @Test(arguments: PlanarStemAlgorithm.allCases)
  func twoAndThreeThreadsMatchOneThreadBitwise(algorithm: PlanarStemAlgorithm) throws {
    for problem in [
      try ConvProblem.standard(
        inChannels: 3, outChannels: 32, h: 57, w: 61, kernel: 3, stride: 2, pad: 1),
      try ConvProblem.standard(
        batch: 2, inChannels: 3, outChannels: 40, h: 17, w: 19, kernel: 3, pad: 1),
    ] {
      let one = Self.outputs(problem, algorithm: algorithm, threads: 1, relu: false, seed: 5).got
      for threads in [2, 3] {
        let many = Self.outputs(
          problem, algorithm: algorithm, threads: threads, relu: false, seed: 5
        ).got
        #expect(
          one.map(\.bitPattern) == many.map(\.bitPattern),
          "\(algorithm) \(problem.descriptor) on \(threads) threads")
      }
    }
  }

  /// The direct stem adds the same products in the same order as the im2col stem's GEMM, with
  /// its fields read in place or gathered: every output bitwise equal, on every shape (no
  /// ReLU, so that negative outputs count too).
  @Test(arguments: shapes)
  func directEqualsIm2colBitwise(shape: (Int, Int, Int, Int, Int, Int, Int, Int)) throws {
    let (n, cin, cout, h, w, k, s, pad) = shape
    let problem = try ConvProblem.standard(
      batch: n, inChannels: cin, outChannels: cout, h: h, w: w, kernel: k, stride: s, pad: pad)
    let direct = Self.outputs(problem, algorithm: .direct, threads: 2, relu: false, seed: 3).got
    let im2col = Self.outputs(problem, algorithm: .im2col, threads: 1, relu: false, seed: 3).got
    #expect(direct.map(\.bitPattern) == im2col.map(\.bitPattern), "\(problem.descriptor)")
  }

  /// The gather of one border pixel, by hand: a 1-channel 3x3 image, 3x3 kernel, padding 1,
  /// stride 2; output pixel (0, 1) reads input columns 1...3, of which column 3 is padding.
  @Test func gatherPutsZerosWhereTheWindowLeavesTheImage() throws {
    let problem = try ConvProblem.standard(
      inChannels: 1, outChannels: 1, h: 3, w: 3, kernel: 3, stride: 2, pad: 1)
    let image: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    var rows = [Float](repeating: .nan, count: 9)
    image.withUnsafeBufferPointer { src in
      rows.withUnsafeMutableBufferPointer {
        Im2col.rowsPlanar(problem, src.baseAddress!, pixels: 1..<2, into: $0.baseAddress!)
      }
    }
    #expect(rows == [0, 0, 0, 2, 3, 0, 5, 6, 0])
  }
}
