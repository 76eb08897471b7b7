import ConvKernels
import ConvKernelsAVX2

/// conv KxK -> BN -> ReLU that reads an NCHW input and writes NHWC (`ConvPlanarInputKernel`,
/// BN folded into the weights and bias): the first layer of an NHWC network, which then needs
/// no reorder of its input image.
///
/// Not a row of the variant table: every registered family reads and writes one layout, and
/// `sepbench run` validates and times them that way. The network command validates and times
/// this one on its own (`InputStepTimings.measure`), against the reorder plus the fastest
/// NHWC stem, and its forward pass is checked end to end like every other stage.
public struct PlanarInputStem: KernelVariant {
  public static let op = Op.convBlock
  public static let family = "planar-im2col"
  /// The output's layout; the input is NCHW.
  public static let layouts: Set<Layout> = [.nhwc]
  public static let isThreaded = true  // threads own disjoint output pixels or channels
  public static let isa = ISA.avx2
  public static let summary =
    "NCHW image in, NHWC out: im2col rows gathered from the planes, 3x32 + 6x16 FMA GEMM with BN folded, ReLU in the epilogue"
  public let layout: Layout
  public let threads: Int

  public init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }

  public func unsupportedReason(_ problem: ConvProblem) -> String? {
    if !Self.isa.isSupported { return "needs \(Self.isa.rawValue), which this CPU lacks" }
    return problem.groups == 1 ? nil : "needs groups = 1, got \(problem.groups)"
  }

  public func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let folded = parameters.norm!.folded(into: parameters.weights)
    return ConvPlanarInputKernel(
      problem.part(for: Self.op), threads: threads, pool: pool, weights: folded.weights,
      bias: folded.bias, relu: true)
  }
}
