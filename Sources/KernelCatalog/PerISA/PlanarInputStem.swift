import ConvKernels

/// A variant that reads an NCHW input and writes its output in its `layout`: the stem of a
/// network whose activations are NHWC, so that the network needs no reorder of its image.
public protocol PlanarInputVariant: KernelVariant {}

/// A planar-input stem algorithm as a type, so that each (target, algorithm) pair is a
/// variant type with its own family name.
protocol PlanarStemKind {
  static var algorithm: PlanarStemAlgorithm { get }
}

/// `PlanarStemAlgorithm.direct`.
enum PlanarDirectStem: PlanarStemKind {
  static var algorithm: PlanarStemAlgorithm { .direct }
}

/// `PlanarStemAlgorithm.im2col`.
enum PlanarIm2colStem: PlanarStemKind {
  static var algorithm: PlanarStemAlgorithm { .im2col }
}

/// conv KxK -> BN -> ReLU that reads an NCHW input and writes NHWC (`Target`'s
/// `planarInputConv` by `Kind`'s algorithm, BN folded into the weights and bias): the first
/// layer of an NHWC network, which then needs no reorder of its input image. Its family is
/// `planar-<algorithm><target suffix>`: `planar-direct`, `planar-im2col`,
/// `planar-direct-avx512`.
///
/// Not a row of the variant table: every registered family reads and writes one layout, and
/// `sepbench run` validates and times them that way. The network command validates and times
/// these (`PlanarInputStems`) on their own (`InputStepTimings.measure`), against the reorder
/// plus the fastest NHWC stem, and its forward pass is checked end to end like every other
/// stage.
struct PlanarInputStem<Target: ISATarget, Kind: PlanarStemKind>: PlanarInputVariant {
  static var op: Op { .convBlock }
  static var family: String { "planar-\(Kind.algorithm.rawValue)\(Target.familySuffix)" }
  /// The output's layout; the input is NCHW.
  static var layouts: Set<Layout> { [.nhwc] }
  static var isThreaded: Bool { true }  // threads own disjoint output pixels or channels
  static var isa: ISA { Target.isa }
  static var summary: String { Target.planarStemSummary(Kind.algorithm) }
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
      problem.part(for: Self.op), algorithm: Kind.algorithm, threads: threads, pool: pool,
      weights: folded.weights, bias: folded.bias, relu: true)
  }
}

/// The planar-input stems of every ISA target.
public enum PlanarInputStems {
  /// Every stem of every ISA target on `threads` threads (NHWC output), whether or not this
  /// CPU can run it (see `unsupportedReason`), in the order of `ISA.allCases` and, per
  /// target, of its `planarStems`.
  public static func variants(threads: Int) -> [any PlanarInputVariant] {
    stems(AVX2Target.self, threads: threads) + stems(AVX512Target.self, threads: threads)
  }

  /// The stems compiled for `isa` on `threads` threads; empty when no target has that level.
  public static func variants(isa: ISA, threads: Int) -> [any PlanarInputVariant] {
    variants(threads: threads).filter { type(of: $0).isa == isa }
  }

  private static func stems<Target: ISATarget>(_ target: Target.Type, threads: Int)
    -> [any PlanarInputVariant]
  {
    Target.planarStems.map { algorithm -> any PlanarInputVariant in
      switch algorithm {
      case .direct: PlanarInputStem<Target, PlanarDirectStem>(layout: .nhwc, threads: threads)
      case .im2col: PlanarInputStem<Target, PlanarIm2colStem>(layout: .nhwc, threads: threads)
      }
    }
  }
}
