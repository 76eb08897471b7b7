import ConvKernels
import KernelCatalog
import Testing

/// The fused block computing bands of its output rows (`RowBandKernel`), as a network running
/// two layers depth-first calls it.
@Suite(.enabled(if: ISA.avx2.isSupported, "the fused block runs in row bands on AVX2"))
struct FusedRowBandTests {
  /// Odd sizes, stride 2, no padding, one channel and several, tiles of several rows and one.
  static let problems = [
    "n1c8h9w7o16k3s1p1", "n1c24h13w5o40k3s2p1", "n1c1h11w6o3k3s2p0", "n1c300h30w30o8k3s1p1",
    "n1c64h20w20o32k3s2p1",
  ]

  /// Bands of uneven heights, run in order into an output full of NaN, write bitwise what one
  /// whole run writes.
  @Test(arguments: problems, [1, 2])
  func bandsInOrderWriteWhatOneRunWrites(descriptor: String, threads: Int) throws {
    let problem = try ConvProblem(descriptor: descriptor)
    let (kernel, reference) = try Self.prepare(problem, threads: threads)
    let input = reference.input.converted(to: .nhwc)
    let whole = Tensor(shape: problem.outputShape(for: .sepBlock), layout: .nhwc, value: .nan)
    kernel.run(input.pointer, whole.pointer)
    let banded = Tensor(shape: whole.shape, layout: .nhwc, value: .nan)
    var start = 0
    var height = 1
    while start < kernel.outputHeight {
      let band = start..<min(start + height, kernel.outputHeight)
      kernel.run(rows: band, input.pointer, banded.pointer)
      start = band.upperBound
      height = height % 3 + 1  // 1, 2, 3, 1, ...
    }
    #expect(banded.values.map(\.bitPattern) == whole.values.map(\.bitPattern))
    #expect(reference.compare(banded).passed)
  }

  /// Bands run in lanes, two threads at once and each with its own lane, write bitwise what
  /// one whole run writes.
  @Test(arguments: problems)
  func bandsInLanesWriteWhatOneRunWrites(descriptor: String) throws {
    let problem = try ConvProblem(descriptor: descriptor)
    let (kernel, reference) = try Self.prepare(problem, threads: 2)
    #expect(kernel.threads == 2)
    #expect(kernel.lanes == min(8, problem.outHeight))
    let input = reference.input.converted(to: .nhwc)
    let whole = Tensor(shape: problem.outputShape(for: .sepBlock), layout: .nhwc, value: .nan)
    kernel.run(input.pointer, whole.pointer)
    let laned = Tensor(shape: whole.shape, layout: .nhwc, value: .nan)
    let (src, dst) = (UnsafePointer(input.pointer), laned.pointer)
    // Lane t takes every other band of 2 rows, starting at band t.
    WorkerPool.with(threads: 2).run(tasks: 2) { lane in
      for start in stride(from: 2 * lane, to: kernel.outputHeight, by: 4) {
        kernel.run(rows: start..<min(start + 2, kernel.outputHeight), src, dst, lane: lane)
      }
    }
    #expect(laned.values.map(\.bitPattern) == whole.values.map(\.bitPattern))
  }

  /// A band writes its own rows and nothing else.
  @Test(arguments: [1, 2])
  func aBandWritesOnlyItsRows(threads: Int) throws {
    let problem = try ConvProblem(descriptor: "n1c24h13w5o40k3s2p1")
    let (kernel, reference) = try Self.prepare(problem, threads: threads)
    let output = Tensor(shape: problem.outputShape(for: .sepBlock), layout: .nhwc, value: .nan)
    kernel.run(rows: 2..<5, reference.input.converted(to: .nhwc).pointer, output.pointer)
    let rowFloats = problem.outWidth * problem.outChannels
    let values = output.values
    for row in 0..<problem.outHeight {
      let written = values[(row * rowFloats)..<((row + 1) * rowFloats)].filter { !$0.isNaN }
      #expect(written.count == ((2..<5).contains(row) ? rowFloats : 0), "row \(row)")
    }
  }

  /// The input rows a band reads, by hand: rows `r * stride - pad ..< last * stride - pad + 3`,
  /// clipped to the image.
  @Test func inputRowsOfABand() throws {
    let down = try ConvProblem(descriptor: "n1c64h112w112o128k3s2p1")
    #expect(down.inputRows(forOutputRows: 0..<4) == 0..<8)
    #expect(down.inputRows(forOutputRows: 3..<4) == 5..<8)
    #expect(down.inputRows(forOutputRows: 55..<56) == 109..<112)
    #expect(down.inputRows(forOutputRows: 0..<0) == 0..<0)
    let same = try ConvProblem(descriptor: "n1c32h112w112o64k3s1p1")
    #expect(same.inputRows(forOutputRows: 0..<1) == 0..<2)
    #expect(same.inputRows(forOutputRows: 111..<112) == 110..<112)
    let valid = try ConvProblem(descriptor: "n1c1h11w6o3k3s2p0")
    #expect(valid.outHeight == 5)
    #expect(valid.inputRows(forOutputRows: 4..<5) == 8..<11)
  }

  static func prepare(_ problem: ConvProblem, threads: Int) throws -> (
    any RowBandKernel, ReferenceCase
  ) {
    let reference = ReferenceCase(op: .sepBlock, problem: problem, seed: 11)
    let family = try #require(VariantRegistry.family(op: .sepBlock, named: "fused"))
    let prepared = family.init(layout: .nhwc, threads: threads).prepare(
      problem, reference.parameters, pool: .with(threads: threads))
    let kernel = try #require(prepared as? any RowBandKernel)
    #expect(kernel.outputHeight == problem.outHeight)
    return (kernel, reference)
  }
}
