import ConvKernels

/// What the `conv` and `conv_block` Winograd families share: NHWC only (the transforms run on 8
/// contiguous channels), threads over disjoint tiles or channels, the GEMM of `Target`,
/// and the tile's support rule, note, cost and error growth.
protocol WinogradFamily: KernelVariant {
  associatedtype Tile: WinogradSize
  associatedtype Target: ISATarget
}

/// The output tile of a Winograd family: F(2x2,3x3) or F(4x4,3x3).
protocol WinogradSize {
  static var transform: WinogradTransform { get }
}

enum F2x2: WinogradSize {
  static var transform: WinogradTransform { .f2x2 }
}

enum F4x4: WinogradSize {
  static var transform: WinogradTransform { .f4x4 }
}

extension WinogradFamily {
  static var family: String {
    "winograd-f\(Tile.transform.m)x\(Tile.transform.m)" + Target.familySuffix
  }
  static var layouts: Set<Layout> { [.nhwc] }
  static var isThreaded: Bool { true }  // threads own disjoint tiles or channels; no reduction
  static var isa: ISA { Target.isa }
  static var algorithm: ConvAlgorithm { .winograd }
  static var errorGrowth: Double { Tile.transform.errorGrowth }

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    WinogradTransform.unsupportedReason(problem)
  }

  func note(for problem: ConvProblem) -> String? {
    Target.Kernels.winogradNote(problem, transform: Tile.transform, threads: threads)
  }

  func algorithmCost(_ problem: ConvProblem) -> AlgorithmCost? {
    Tile.transform.cost(problem)
  }
}
