import ConvKernels

/// The median time of one variant on one layer's shape, benchmarked alone: what the network
/// planner chooses from. Tuning (`NetworkTuning`) measures them; `--from` reads them from an
/// earlier result folder.
public struct LayerTiming: Hashable, Sendable {
  /// The shape the variant ran (`ConvProblem.descriptor` of the block shape).
  public let shape: String
  public let op: Op
  public let family: String
  public let layout: Layout
  public let threads: Int
  /// Median per-call time in nanoseconds.
  public let median: Double
  /// `tuned`, or the folder the time was read from.
  public let source: String

  public init(
    shape: String, op: Op, family: String, layout: Layout, threads: Int, median: Double,
    source: String
  ) {
    self.shape = shape
    self.op = op
    self.family = family
    self.layout = layout
    self.threads = threads
    self.median = median
    self.source = source
  }
}
