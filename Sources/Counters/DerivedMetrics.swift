/// Metrics computed from per-iteration counter values and the analytic cost of a case.
/// Each is nil when an input is missing or zero where it divides.
///
/// Inputs are plain numbers, so Counters does not depend on ConvKernels: `counters` maps an
/// event name (`PAPI_TOT_CYC`) to its per-iteration value summed over threads.
public struct DerivedMetrics: Equatable, Sendable {
  /// Instructions per cycle: `PAPI_TOT_INS / PAPI_TOT_CYC` (both summed over threads).
  public let ipc: Double?
  /// Instructions retired per multiply-accumulate: `PAPI_TOT_INS / macs`.
  public let instructionsPerMAC: Double?
  /// L1 data-cache misses per 1000 MACs: `1000 * PAPI_L1_DCM / macs`.
  public let l1MissesPer1000MACs: Double?
  /// L2 data-cache misses per 1000 MACs: `1000 * PAPI_L2_DCM / macs`.
  public let l2MissesPer1000MACs: Double?
  /// Measured FP operations over analytic FLOPs: `PAPI_FP_OPS / flops`. Near 1 means the
  /// kernel does no redundant arithmetic (on Zen 3 an FMA lane counts 2, like `flops = 2·macs`).
  public let fpOpsRatio: Double?
  /// Average clock of the counting threads in GHz: `PAPI_TOT_CYC / (timeNanoseconds ·
  /// threads)`, cycles being summed over `threads` threads.
  public let achievedGHz: Double?

  /// Event names each metric reads.
  public enum Input {
    /// Total cycles.
    public static let cycles = "PAPI_TOT_CYC"
    /// Instructions retired.
    public static let instructions = "PAPI_TOT_INS"
    /// L1 data-cache misses.
    public static let l1Misses = "PAPI_L1_DCM"
    /// L2 data-cache misses.
    public static let l2Misses = "PAPI_L2_DCM"
    /// Floating-point operations (see `EventProbe.defaultEvents` for why `PAPI_FP_OPS`).
    public static let fpOps = "PAPI_FP_OPS"
  }

  /// Computes every metric for one case.
  /// - Parameters:
  ///   - counters: event name -> value per iteration (summed over threads); missing events
  ///     make the metrics that need them nil.
  ///   - macs: analytic multiply-accumulates per iteration (> 0, else MAC metrics are nil).
  ///   - flops: analytic floating-point operations per iteration.
  ///   - timeNanoseconds: time per iteration in ns (e.g. the median).
  ///   - threads: threads the kernel ran on (default 1).
  public init(
    counters: [String: Double], macs: Double, flops: Double, timeNanoseconds: Double,
    threads: Int = 1
  ) {
    func ratio(_ a: Double?, _ b: Double?, scale: Double = 1) -> Double? {
      guard let a, let b, b > 0, a.isFinite, b.isFinite else { return nil }
      return scale * a / b
    }
    let cycles = counters[Input.cycles]
    let instructions = counters[Input.instructions]
    ipc = ratio(instructions, cycles)
    instructionsPerMAC = ratio(instructions, macs)
    l1MissesPer1000MACs = ratio(counters[Input.l1Misses], macs, scale: 1000)
    l2MissesPer1000MACs = ratio(counters[Input.l2Misses], macs, scale: 1000)
    fpOpsRatio = ratio(counters[Input.fpOps], flops)
    achievedGHz = ratio(cycles, threads > 0 ? timeNanoseconds * Double(threads) : nil)
  }

  /// The metrics as `(CSV column, value)` pairs in a fixed order: `ipc`,
  /// `instructions_per_mac`, `l1_misses_per_kmac`, `l2_misses_per_kmac`, `fp_ops_ratio`,
  /// `achieved_ghz`. Nil values are empty cells.
  public var columns: [(name: String, value: Double?)] {
    [
      ("ipc", ipc), ("instructions_per_mac", instructionsPerMAC),
      ("l1_misses_per_kmac", l1MissesPer1000MACs), ("l2_misses_per_kmac", l2MissesPer1000MACs),
      ("fp_ops_ratio", fpOpsRatio), ("achieved_ghz", achievedGHz),
    ]
  }
}
