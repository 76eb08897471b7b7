import ConvKernels

/// A variant that reads an NCHW input and writes its output in its `layout`: the stem of a
/// network whose activations are NHWC, so that the network needs no reorder of its image.
public protocol PlanarInputVariant: KernelVariant {}

/// conv KxK -> BN -> ReLU that reads an NCHW input and writes NHWC (`Target`'s
/// `planarInputConv`, BN folded into the weights and bias): the first layer of an NHWC
/// network, which then needs no reorder of its input image.
///
/// Not a row of the variant table: every registered family reads and writes one layout, and
/// `sepbench run` validates and times them that way. The network command validates and times
/// these (`PlanarInputStems`) on their own (`InputStepTimings.measure`), against the reorder
/// plus the fastest NHWC stem, and its forward pass is checked end to end like every other
/// stage.
struct PlanarInputStem<Target: ISATarget>: PlanarInputVariant {
  static var op: Op { .convBlock }
  static var family: String { Target.planarStemFamily }
  /// The output's layout; the input is NCHW.
  static var layouts: Set<Layout> { [.nhwc] }
  static var isThreaded: Bool { true }  // threads own disjoint output pixels or channels
  static var isa: ISA { Target.isa }
  static var summary: String { Target.planarStemSummary }
  let layout: Layout
  let threads: Int

  init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    if !Self.isa.isSupported { return "needs \(Self.isa.rawValue), which this CPU lacks" }
    return problem.groups == 1 ? nil : "needs groups = 1, got \(problem.groups)"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let folded = parameters.norm!.folded(into: parameters.weights)
    return Target.Kernels.planarInputConv(
      problem.part(for: Self.op), threads: threads, pool: pool, weights: folded.weights,
      bias: folded.bias, relu: true)
  }
}

/// The planar-input stems of every ISA target.
public enum PlanarInputStems {
  /// The stem of every ISA target on `threads` threads (NHWC output), whether or not this CPU
  /// can run it (see `unsupportedReason`).
  public static func variants(threads: Int) -> [any PlanarInputVariant] {
    [
      PlanarInputStem<AVX2Target>(layout: .nhwc, threads: threads),
      PlanarInputStem<AVX512Target>(layout: .nhwc, threads: threads),
    ]
  }

  /// The stem compiled for `isa` on `threads` threads, or nil when no target has that level.
  public static func variant(isa: ISA, threads: Int) -> (any PlanarInputVariant)? {
    variants(threads: threads).first { type(of: $0).isa == isa }
  }
}
