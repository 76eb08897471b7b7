import ConvKernels
import ConvKernelsAVX2
import KernelCatalog
import TestSupport
import Testing

@Suite struct WinogradTests {
  static let transforms: [WinogradTransform] = [.f2x2, .f4x4]
  static let families = ["winograd-f2x2", "winograd-f4x4"]

  /// Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, in Double, for one α x α patch and one 3x3 filter.
  static func winogradTile(_ t: WinogradTransform, d: [[Double]], g: [[Double]]) -> [[Double]] {
    func multiply(_ x: [[Double]], _ y: [[Double]]) -> [[Double]] {
      x.map { row in
        (0..<y[0].count).map { j in row.indices.reduce(0) { $0 + row[$1] * y[$1][j] } }
      }
    }
    func transpose(_ x: [[Double]]) -> [[Double]] {
      (0..<x[0].count).map { j in x.map { $0[j] } }
    }
    let u = multiply(multiply(t.filterTransform, g), transpose(t.filterTransform))
    let v = multiply(multiply(t.inputTransform, d), transpose(t.inputTransform))
    let product = zip(u, v).map { zip($0, $1).map(*) }
    return multiply(multiply(t.outputTransform, product), transpose(t.outputTransform))
  }

  @Test(arguments: transforms)
  func matricesComputeTheDirectCorrelation(transform t: WinogradTransform) {
    var generator = SplitMix64(seed: 5)
    let d = (0..<t.alpha).map { _ in
      (0..<t.alpha).map { _ in Double.random(in: -1...1, using: &generator) }
    }
    let g = (0..<3).map { _ in (0..<3).map { _ in Double.random(in: -1...1, using: &generator) } }
    let y = Self.winogradTile(t, d: d, g: g)
    for i in 0..<t.m {
      for j in 0..<t.m {
        var direct = 0.0
        for kh in 0..<3 {
          for kw in 0..<3 { direct += g[kh][kw] * d[i + kh][j + kw] }
        }
        #expect(abs(y[i][j] - direct) < 1e-12, "F(\(t.m)) output (\(i), \(j))")
      }
    }
  }

  /// The bound in `WinogradTransform.errorGrowth`, by hand: F(2x2) 1D (1·1·2 + 1·1.5·2 +
  /// 1·1.5·2) / 3 = 8/3; F(4x4) row 3 (0.5·10 + 0.5·10 + 8·(7/24)·6 · 2 + 1·1·10) / 3 = 16.
  @Test func errorGrowthIsTheSquaredOneDimensionalBound() {
    #expect(abs(WinogradTransform.f2x2.errorGrowth - 64.0 / 9) < 1e-12)
    #expect(abs(WinogradTransform.f4x4.errorGrowth - 256) < 1e-9)
  }

  /// 128 -> 128 at 56x56: 14 x 14 tiles of 4x4. Bᵀ (F4) has 28 FLOPs per 1D transform
  /// (rows: 4, 5, 5, 5, 5, 4), Aᵀ 20 (4, 5, 5, 6): 2·6·28 = 336 per input tile-channel and
  /// (6 + 4)·20 = 200 per output tile-channel. F(2x2): Bᵀ 4, Aᵀ 4: 32 and 24.
  @Test func costIsCountedByHand() throws {
    let p = try ConvProblem.standard(
      inChannels: 128, outChannels: 128, h: 56, w: 56, kernel: 3, pad: 1)
    let f4 = WinogradTransform.f4x4.cost(p)
    #expect(f4.mults == 196 * 36 * 128 * 128)
    #expect(f4.mults * 4 == p.macs)
    #expect(f4.transformFlops == 196 * (128 * 336 + 128 * 200))
    let f2 = WinogradTransform.f2x2.cost(p)
    #expect(f2.mults == 784 * 16 * 128 * 128)
    #expect(f2.transformFlops == 784 * (128 * 32 + 128 * 24))
    // 7x7 output: F(4x4) covers it with 2 x 2 tiles (8x8), so it does 64/49 of its 1/4.
    let small = try ConvProblem.standard(
      inChannels: 8, outChannels: 8, h: 7, w: 7, kernel: 3, pad: 1)
    #expect(WinogradTransform.f4x4.cost(small).mults == 4 * 36 * 64)
  }

  @Test func unsupportedShapesSayWhy() throws {
    let stride2 = try ConvProblem.standard(
      inChannels: 8, outChannels: 8, h: 9, w: 9, kernel: 3, stride: 2, pad: 1)
    #expect(
      WinogradTransform.unsupportedReason(stride2) == "Winograd needs stride 1, got stride 2")
    let kernel5 = try ConvProblem.standard(
      inChannels: 8, outChannels: 8, h: 9, w: 9, kernel: 5, pad: 2)
    #expect(
      WinogradTransform.unsupportedReason(kernel5)
        == "Winograd F(m x m, 3 x 3) needs a 3x3 kernel, got 5x5")
    let variant = FastVariantChecks.variant(.conv, "winograd-f4x4", .nchw)
    #expect(
      VariantRegistry.skipReason(variant, on: stride2, available: [.avx2, .fma])
        == "winograd-f4x4 has no nchw version")
  }

  /// The SIMD transforms against their matrices, on 8 lanes of random values.
  @Test func simdTransformsMatchTheirMatrices() {
    check(WinogradF2x2.self)
    check(WinogradF4x4.self)
  }

  private func check<Tile: WinogradTile>(_ tile: Tile.Type) {
    let t = Tile.transform
    var generator = SplitMix64(seed: 9)
    let x = (0..<(t.alpha * 8)).map { _ in Float.random(in: -1...1, using: &generator) }
    var input = [Float](repeating: .nan, count: t.alpha * 8)
    var output = [Float](repeating: .nan, count: t.m * 8)
    x.withUnsafeBufferPointer { src in
      input.withUnsafeMutableBufferPointer {
        Tile.input(src.baseAddress!, 8, $0.baseAddress!, 8)
      }
      output.withUnsafeMutableBufferPointer {
        Tile.output(src.baseAddress!, 8, $0.baseAddress!, 8)
      }
    }
    for lane in 0..<8 {
      for k in 0..<t.alpha {
        let want = (0..<t.alpha).reduce(0.0) {
          $0 + t.inputTransform[k][$1] * Double(x[$1 * 8 + lane])
        }
        #expect(abs(Double(input[k * 8 + lane]) - want) < 1e-5, "F(\(t.m)) Bᵀ row \(k)")
      }
      for k in 0..<t.m {
        let want = (0..<t.alpha).reduce(0.0) {
          $0 + t.outputTransform[k][$1] * Double(x[$1 * 8 + lane])
        }
        #expect(abs(Double(output[k * 8 + lane]) - want) < 1e-5, "F(\(t.m)) Aᵀ row \(k)")
      }
    }
  }

  /// Every stride-1 3x3 validation shape, at 1 and 2 threads, for conv and conv_block.
  @Test(arguments: families)
  func matchesReferenceOnValidationShapes(family: String) {
    let shapes = FastVariantChecks.shapes(seed: 24)
    let supported = shapes.filter { WinogradTransform.unsupportedReason($0) == nil }.count
    #expect(supported >= 8)
    for op in [Op.conv, .convBlock] {
      for threads in [1, 2] {
        let variant = FastVariantChecks.variant(op, family, .nhwc, threads: threads)
        #expect(FastVariantChecks.matchesReference(op, variant, on: shapes) == supported)
      }
    }
  }

  /// Padding 0, 1 and 2; one channel and many (300: two GEMM K blocks); channel counts off
  /// the SIMD width; batch 2; outputs that leave the last tile row and column partial; a 1x1
  /// output (one tile, mostly padding).
  @Test(arguments: families)
  func bordersTailsAndPaddingMatchReference(family: String) throws {
    for (n, cin, cout, h, w, pad) in [
      (1, 1, 1, 3, 3, 0), (1, 5, 9, 10, 11, 0), (1, 3, 10, 6, 7, 2), (2, 13, 17, 9, 6, 1),
      (1, 300, 20, 6, 9, 1), (1, 16, 16, 8, 8, 1), (1, 40, 33, 13, 11, 1), (3, 8, 6, 5, 5, 0),
    ] {
      let problem = try ConvProblem.standard(
        batch: n, inChannels: cin, outChannels: cout, h: h, w: w, kernel: 3, pad: pad)
      for op in [Op.conv, .convBlock] {
        let variant = FastVariantChecks.variant(op, family, .nhwc)
        #expect(FastVariantChecks.matchesReference(op, variant, on: [problem]) == 1)
      }
    }
  }

  /// Row split (many tiles, few channels) and column split (7x7, many channels).
  @Test(arguments: families)
  func twoThreadsMatchOneThreadBitwise(family: String) throws {
    let shapes = [
      try ConvProblem.standard(inChannels: 24, outChannels: 40, h: 17, w: 19, kernel: 3, pad: 1),
      try ConvProblem.standard(inChannels: 40, outChannels: 70, h: 7, w: 7, kernel: 3, pad: 1),
      try ConvProblem.standard(
        batch: 2, inChannels: 19, outChannels: 21, h: 12, w: 9, kernel: 3, pad: 0),
    ]
    FastVariantChecks.twoThreadsMatchOneThread(.conv, family, .nhwc, on: shapes)
    FastVariantChecks.twoThreadsMatchOneThread(.convBlock, family, .nhwc, on: shapes)
  }

  /// The measured error sits far inside the derived bound, and grows with the tile as the
  /// bound says it may: F(4x4) errs more than F(2x2). (F(2x2) may err less than direct,
  /// whose sums are 9 times longer.)
  @Test func errorGrowsWithTheTile() throws {
    let problem = try ConvProblem.standard(
      inChannels: 64, outChannels: 32, h: 14, w: 14, kernel: 3, pad: 1)
    let fixture = ReferenceCase(op: .conv, problem: problem, seed: 3)
    let direct = fixture.check(FastVariantChecks.variant(.conv, "direct-simd", .nhwc))
    let f2 = fixture.check(FastVariantChecks.variant(.conv, "winograd-f2x2", .nhwc))
    let f4 = fixture.check(FastVariantChecks.variant(.conv, "winograd-f4x4", .nhwc))
    #expect(direct.passed && f2.passed && f4.passed)
    #expect(f2.maxAbsError < f4.maxAbsError)
    #expect(f4.maxAbsError < f4.tolerance / 100)
  }

  @Test func noteNamesTilesWorkspaceAndWeights() throws {
    let problem = try ConvProblem.standard(
      inChannels: 128, outChannels: 128, h: 56, w: 56, kernel: 3, pad: 1)
    let note = FastVariantChecks.variant(.conv, "winograd-f4x4", .nhwc).note(for: problem) ?? ""
    #expect(note.hasPrefix("F(4x4,3x3): 196 tiles, 12 per block; workspace "), "\(note)")
    #expect(note.hasSuffix("transformed weights 2.3 MiB (36/9 of direct)"), "\(note)")
  }
}
