import ConvKernels
import KernelCatalog

/// What `sepbench run` measures and how: the cartesian product of suite cases, operators,
/// variant families, layouts and thread counts, plus the sampling settings.
public struct RunPlan: Sendable {
  public var suite: Suite
  /// Operators to measure, in this order.
  public var ops: [Op]
  /// Family names to include (`variant` column); nil for every registered family except the
  /// suite's `excludedByDefault`.
  public var families: [String]?
  public var layouts: [Layout]
  public var threads: [Int]
  /// Shortest duration of one timed sample; the iteration count is chosen to reach it.
  public var minSampleNanoseconds: UInt64
  /// Timed samples per case (fewer when `caseBudgetNanoseconds` runs out, never fewer than 3).
  public var repetitions: Int
  /// Time a case may spend in timed samples before it stops at fewer repetitions.
  public var caseBudgetNanoseconds: UInt64
  /// Seed of the input data and parameters.
  public var seed: UInt64
  /// Counter events to read on separate, untimed repetitions (empty: none).
  public var events: [String]
  /// Instruction-set levels to include; nil for all.
  public var isas: [ISA]?
  /// Time samples, or instructions of one call.
  public var metric: Metric = .time
  /// When false (the default), a variant on more than one thread runs on one thread on shapes
  /// where one was faster at set-up (`ThreadSplitChoice`), and its note says so; when true it
  /// always forks.
  public var fixedThreads = false
  /// Which shard of the suite `suite` holds (`Suite.shard`), for the record; nil when whole.
  public var shard: (index: Int, count: Int)?

  public init(
    suite: Suite, ops: [Op] = Op.allCases, families: [String]? = nil,
    layouts: [Layout] = Layout.allCases, threads: [Int] = [1],
    minSampleNanoseconds: UInt64 = 5_000_000, repetitions: Int = 10,
    caseBudgetNanoseconds: UInt64 = 1_000_000_000, seed: UInt64 = 7, events: [String] = []
  ) {
    self.suite = suite
    self.ops = ops
    self.families = families
    self.layouts = layouts
    self.threads = threads
    self.minSampleNanoseconds = minSampleNanoseconds
    self.repetitions = repetitions
    self.caseBudgetNanoseconds = caseBudgetNanoseconds
    self.seed = seed
    self.events = events
  }

  /// The variants of `op` this plan selects.
  public func variants(for op: Op) -> [any KernelVariant] {
    let selected = VariantRegistry.families(for: op).filter { family in
      (families.map { $0.contains(family.family) }
        ?? !suite.excludedByDefault.contains(family.family))
        && isas.map { $0.contains(family.isa) } ?? true
    }
    return VariantRegistry.variants(of: selected, layouts: layouts, threads: threads)
  }

  /// Number of result rows the plan produces (measured, failed and skipped cases).
  public var caseCount: Int {
    suite.cases.count * ops.reduce(0) { $0 + variants(for: $1).count }
  }
}
