/// A kernel family: which operator it computes, in which layouts, with what hardware.
///
/// The static members are the family's table row (`sepbench list variants` prints them); a
/// value fixes the layout and the thread count. `prepare` does everything that is not timed
/// (weight packing, BN folding, workspace allocation) and returns the object whose `run` is
/// the only timed call.
public protocol KernelVariant: Sendable {
  /// The operator computed.
  static var op: Op { get }
  /// Family name, lower-kebab; the `variant` CSV column (e.g. `naive`, `packed-gemm`).
  static var family: String { get }
  /// Layouts the family implements.
  static var layouts: Set<Layout> { get }
  /// Whether the family splits work across threads of the worker pool.
  static var isThreaded: Bool { get }
  /// The instruction-set level the family is compiled for (the target it lives in). The
  /// catalog runs it only where `isa.isSupported`.
  static var isa: ISA { get }
  /// One line for `sepbench list variants`.
  static var summary: String { get }
  /// How the family computes the operator (`.direct` unless it says otherwise).
  static var algorithm: ConvAlgorithm { get }
  /// How many times the rounding error of a direct sum the family may make (1 for a direct
  /// algorithm). Validation allows `errorGrowth` times the reference tolerance; a family with
  /// a growth above 1 derives it in its header comment.
  static var errorGrowth: Double { get }

  /// A variant of this family for one layout and thread count (>= 1; 1 when not threaded).
  init(layout: Layout, threads: Int)

  var layout: Layout { get }
  var threads: Int { get }

  /// Why this variant cannot run `problem` (the operator's own part of the block shape), or
  /// nil when it can. Layout, threads and CPU features are checked by the registry.
  func unsupportedReason(_ problem: ConvProblem) -> String?

  /// A note about this variant on `problem` (e.g. the size of a workspace), or nil.
  func note(for problem: ConvProblem) -> String?

  /// The multiplications and transform FLOPs this variant performs on `problem` (the
  /// operator's own part), or nil for a direct algorithm: the operator's MACs, no transforms.
  func algorithmCost(_ problem: ConvProblem) -> AlgorithmCost?

  /// Untimed set-up: packs `parameters` for `problem` (the block shape; use
  /// `problem.part(for: Self.op)` for the operator's own part) and allocates workspaces.
  /// Threaded variants run their work on `pool`, which has at least `threads` workers.
  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
}

extension KernelVariant {
  public static var isThreaded: Bool { false }
  public static var isa: ISA { .generic }
  /// CPU features the family's code needs: those of its ISA.
  public static var requires: CPUFeatures { isa.requires }
  public static var algorithm: ConvAlgorithm { .direct }
  public static var errorGrowth: Double { 1 }
  public func note(for problem: ConvProblem) -> String? { nil }
  public func algorithmCost(_ problem: ConvProblem) -> AlgorithmCost? { nil }

  /// Printed id: `op.family.layout`, plus `.tN` when threaded with N > 1
  /// (e.g. `dw.simd8.nhwc.t2`).
  public var id: String {
    let base = "\(Self.op.rawValue).\(Self.family).\(layout.rawValue)"
    return threads > 1 ? "\(base).t\(threads)" : base
  }
}

/// A kernel ready to run: weights packed, workspaces allocated.
public protocol PreparedKernel: AnyObject {
  /// Computes the operator from `src` into `dst`, both in the variant's layout, with the
  /// shapes `ConvProblem.inputShape(for:)` and `outputShape(for:)`. Pure compute: no
  /// allocation, no locks, no array indexing in the hot loops.
  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>)
}
