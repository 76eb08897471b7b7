import ConvKernels

/// conv 3x3 -> BN -> ReLU by Winograd F(m x m, 3 x 3) in NHWC, BN folded into the weights
/// before their transform (`w' = w * scale[oc]`, `bias = shift[oc]`) and bias + ReLU applied
/// in the output transform, so the output is written once. Accuracy and cost as
/// `ConvWinograd`.
struct StandardBlockWinograd<Tile: WinogradSize, Target: ISATarget>: WinogradFamily {
  static var op: Op { .convBlock }
  static var summary: String {
    let m = Tile.transform.m
    return "Winograd F(\(m)x\(m),3x3) with BN folded, bias and ReLU in the output transform"
  }
  let layout: Layout
  let threads: Int

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let folded = parameters.norm!.folded(into: parameters.weights)
    return Target.Kernels.winogradConv(
      problem.part(for: Self.op), transform: Tile.transform, threads: threads, pool: pool,
      weights: folded.weights, bias: folded.bias, relu: true)
  }
}
