import ConvKernels
import ConvKernelsAVX2

/// What the `conv` and `conv_block` Winograd families share: NHWC only (the transforms run on 8
/// contiguous channels), threads over disjoint tiles or channels, the AVX2 target, and the
/// tile's support rule, note, cost and error growth.
protocol WinogradFamily: KernelVariant {
  associatedtype Tile: WinogradTile
}

extension WinogradFamily {
  static var family: String { "winograd-f\(Tile.transform.m)x\(Tile.transform.m)" }
  static var layouts: Set<Layout> { [.nhwc] }
  static var isThreaded: Bool { true }  // threads own disjoint tiles or channels; no reduction
  static var isa: ISA { .avx2 }
  static var algorithm: ConvAlgorithm { .winograd }
  static var errorGrowth: Double { Tile.transform.errorGrowth }

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    WinogradTransform.unsupportedReason(problem)
  }

  func note(for problem: ConvProblem) -> String? {
    WinogradConvKernel<Tile>.note(problem, threads: threads)
  }

  func algorithmCost(_ problem: ConvProblem) -> AlgorithmCost? {
    Tile.transform.cost(problem)
  }
}
