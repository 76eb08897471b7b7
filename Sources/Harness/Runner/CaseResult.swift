import ConvKernels

/// The outcome of one case: did the variant validate, was it timed, and why not.
public enum CaseStatus: String, Sendable, Codable {
  /// Validated and timed.
  case ok
  /// Produced a wrong output; never timed.
  case failed
  /// Cannot run this shape here (layout, CPU feature, unsupported shape); `note` says why.
  case skipped
}

/// One measured (or failed, or skipped) case: a row of `results.csv`.
public struct CaseResult: Sendable {
  public var suite: String
  /// Suite case name (`case` column).
  public var caseName: String
  public var op: Op
  /// Family name (`variant` column).
  public var family: String
  public var layout: Layout
  public var threads: Int
  /// The block shape of the suite case.
  public var blockProblem: ConvProblem
  public var cost: OpCost
  public var status: CaseStatus
  /// Why a case was skipped or failed, or a variant note (workspace size).
  public var note: String
  /// Iterations per timed sample (0 when not timed).
  public var iterations: Int
  /// Per-iteration time of each timed sample, in nanoseconds, in the order taken.
  public var samples: [Double]
  /// Statistics of `samples`; nil when not timed.
  public var statistics: SampleStatistics?
  /// Largest absolute error against the reference (nil when skipped).
  public var maxAbsError: Double?
  /// Counter values per iteration by event name; absent events were not requested,
  /// nil values were unavailable.
  public var counters: [String: Double?]
  /// The instruction-set level of the variant's family (`isa` column).
  public var isa: ISA = .generic
  /// How the family computes the operator (`algorithm` column).
  public var algorithm: ConvAlgorithm = .direct
  /// Multiplications and transform FLOPs the variant performs (`algorithm_mults`,
  /// `transform_flops`); for a direct algorithm its MACs and 0.
  public var algorithmCost = AlgorithmCost(mults: 0, transformFlops: 0)
  /// Instructions of one call (`Metric.instructions`); nil when not counted.
  public var instructions: Double?
  /// What counted `instructions`: `PAPI_TOT_INS` or `callgrind`.
  public var instructionSource: String?
  /// Percent of the machine's CPU time stolen by the hypervisor while the case's samples were
  /// taken (`CPUTimeSample.stealPercent(since:)`, the `steal_pct` column); nil when not timed
  /// or not readable.
  public var stealPercent: Double?
  /// The case's samples set against the FMA peak measured in the same rounds
  /// (`Runner.peakProbe`): the `paired_peak_gflops` and `pct_paired_peak_flops` columns;
  /// nil when no probe ran.
  public var pairedPeak: PairedPeak?

  public init(
    suite: String, caseName: String, op: Op, family: String, layout: Layout, threads: Int,
    blockProblem: ConvProblem, status: CaseStatus, note: String = "", iterations: Int = 0,
    samples: [Double] = [], maxAbsError: Double? = nil, counters: [String: Double?] = [:]
  ) {
    self.suite = suite
    self.caseName = caseName
    self.op = op
    self.family = family
    self.layout = layout
    self.threads = threads
    self.blockProblem = blockProblem
    self.cost = blockProblem.cost(for: op)
    self.algorithmCost = AlgorithmCost(mults: cost.macs, transformFlops: 0)
    self.status = status
    self.note = note
    self.iterations = iterations
    self.samples = samples
    self.statistics = samples.isEmpty ? nil : SampleStatistics(samples)
    self.maxAbsError = maxAbsError
    self.counters = counters
  }

  /// The operator's own problem (its part of the block shape).
  public var problem: ConvProblem { blockProblem.part(for: op) }

  /// Printed variant id, `op.family.layout[.tN]`.
  public var variantID: String {
    let base = "\(op.rawValue).\(family).\(layout.rawValue)"
    return threads > 1 ? "\(base).t\(threads)" : base
  }

  /// Achieved GFLOP/s at the median time.
  public var gflops: Double? { statistics.map { Double(cost.flops) / $0.median } }
  /// Achieved GB/s of the minimum traffic at the median time.
  public var gbps: Double? { statistics.map { Double(cost.bytesMin) / $0.median } }
}
