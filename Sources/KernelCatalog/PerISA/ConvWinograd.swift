import ConvKernels

/// 3x3 stride-1 convolution in NHWC by Winograd F(m x m, 3 x 3): input transform, α² GEMMs on
/// the GEMM tiles, output transform (`WinogradConvKernel`). Weights are transformed and
/// packed in `prepare`.
///
/// Accuracy: the transforms grow the worst-case rounding error by `WinogradTransform.errorGrowth`
/// (64/9 for F(2x2), 256 for F(4x4); derived there), so validation allows that many times the
/// direct tolerance `4 ε · 9 C_in · max|y|`. No other family's tolerance changes.
///
/// Cost: `macs` stays the direct count; `algorithm_mults` is `tiles · α² · C_in · C_out` and
/// `transform_flops` the input and output transforms (`WinogradTransform.cost`).
struct ConvWinograd<Tile: WinogradSize, Target: ISATarget>: WinogradFamily {
  static var op: Op { .conv }
  static var summary: String {
    let m = Tile.transform.m
    return
      "Winograd F(\(m)x\(m),3x3): SIMD8 transforms, \((m + 2) * (m + 2)) GEMMs on the \(Target.tiles) tiles"
  }
  let layout: Layout
  let threads: Int

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    Target.Kernels.winogradConv(
      problem.part(for: Self.op), transform: Tile.transform, threads: threads, pool: pool,
      weights: parameters.weights, bias: nil, relu: false)
  }
}
