import ConvKernels
import ConvKernelsAVX2

/// conv 3x3 -> BN -> ReLU by Winograd F(m x m, 3 x 3) in NHWC, BN folded into the weights
/// before their transform (`w' = w * scale[oc]`, `bias = shift[oc]`) and bias + ReLU applied
/// in the output transform, so the output is written once. Accuracy and cost as
/// `ConvWinograd`.
struct StandardBlockWinograd<Tile: WinogradTile>: KernelVariant {
  static var op: Op { .convBlock }
  static var family: String { ConvWinograd<Tile>.family }
  static var layouts: Set<Layout> { [.nhwc] }
  static var isThreaded: Bool { true }  // threads own disjoint tiles or channels; no reduction
  static var isa: ISA { .avx2 }
  static var algorithm: ConvAlgorithm { .winograd }
  static var errorGrowth: Double { Tile.transform.errorGrowth }
  static var summary: String {
    let m = Tile.transform.m
    return "Winograd F(\(m)x\(m),3x3) with BN folded, bias and ReLU in the output transform"
  }
  let layout: Layout
  let threads: Int

  init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    WinogradTransform.unsupportedReason(problem)
  }

  func note(for problem: ConvProblem) -> String? {
    WinogradConvKernel<Tile>.note(problem, threads: threads)
  }

  func algorithmCost(_ problem: ConvProblem) -> AlgorithmCost? {
    Tile.transform.cost(problem)
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let folded = BlockConvEngine.foldBatchNorm(weights: parameters.weights, norm: parameters.norm!)
    return WinogradConvKernel<Tile>(
      problem.part(for: Self.op), threads: threads, pool: pool, weights: folded.weights,
      bias: folded.bias, relu: true)
  }
}
