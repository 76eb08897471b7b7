import ConvKernels
import Harness

/// `network.csv`: one row per stage of every timed network (time inside the network, share,
/// GFLOP/s, the same kernel's time alone), then one `total` row per network with its latency,
/// counts and, for a twin, the separable network's measured speedup beside the ratio of
/// multiplications.
public struct NetworkTable: Sendable {
  /// One row of `network.csv`.
  public struct Row: Sendable, Equatable {
    public var tool = "sepbench"
    public var network: String
    public var width: Double
    public var resolution: Int
    public var model: String
    public var threads: Int
    /// Stage name, or `total`.
    public var layer: String
    /// `NetworkStage.Kind` raw value, or `network`.
    public var kind: String
    public var variantID: String
    public var layout: String
    public var macs: Int
    /// Multiplications the chosen kernels perform (fewer than `macs` for Winograd).
    public var mults: Int
    public var params: Int
    public var statistics: SampleStatistics
    /// The stage's median over the sum of every stage's median, so a network's stages add up
    /// to 1 (1 on a total row; medians of passes do not add up to the median pass).
    public var share: Double
    /// Median of the same kernel timed alone, nil where unknown.
    public var aloneNanoseconds: Double?
    /// On a twin's total row: twin median / separable median at the same thread count.
    public var speedupOfSeparable: Double?
    /// On a twin's total row: twin mults / separable mults.
    public var multRatio: Double?
  }

  /// The columns, in order.
  public static let header = [
    "tool", "network", "width", "resolution", "model", "threads", "layer", "kind", "variant_id",
    "layout", "macs", "mults", "params", "samples", "time_ns_median", "time_ns_ci_low",
    "time_ns_ci_high", "share", "gflops", "alone_time_ns", "in_network_over_alone",
    "speedup_of_separable", "mult_ratio",
  ]

  public let rows: [Row]

  public init(rows: [Row]) { self.rows = rows }

  /// The rows of timed networks: `runs` pairs each compiled network with its timing.
  public init(
    network: String, width: Double, resolution: Int,
    runs: [(network: CompiledNetwork, timing: NetworkTiming)]
  ) {
    var rows: [Row] = []
    var totals: [Row] = []
    for (compiled, timing) in runs {
      let plan = compiled.plan
      let latency = SampleStatistics(timing.latencies)
      var macs = 0
      var mults = 0
      var params = 0
      let stageMedians = timing.stageMedians
      let sumOfMedians = stageMedians.reduce(0, +)
      for (index, stage) in compiled.stages.enumerated() {
        let spec = stage.spec
        let choice = plan.choices[spec.name]
        let stageMults =
          choice.flatMap { c in
            spec.op.flatMap { c.variant.algorithmCost(spec.problem!.part(for: $0))?.mults }
          } ?? spec.macs
        let statistics = SampleStatistics(timing.stageTimes[index])
        macs += spec.macs
        mults += stageMults
        params += spec.params
        rows.append(
          Row(
            network: network, width: width, resolution: resolution, model: plan.form.rawValue,
            threads: plan.threads, layer: spec.name, kind: spec.kind.rawValue,
            variantID: stage.variantID, layout: plan.layout.rawValue, macs: spec.macs,
            mults: stageMults, params: spec.params, statistics: statistics,
            share: stageMedians[index] / sumOfMedians,
            aloneNanoseconds: choice?.aloneNanoseconds
              ?? (spec.kind == .reorder ? plan.reorderNanoseconds : nil)))
      }
      totals.append(
        Row(
          network: network, width: width, resolution: resolution, model: plan.form.rawValue,
          threads: plan.threads, layer: "total", kind: "network", variantID: "",
          layout: plan.layout.rawValue, macs: macs, mults: mults, params: params,
          statistics: latency, share: 1, aloneNanoseconds: plan.aloneTotal))
    }
    for index in totals.indices where totals[index].model != NetworkForm.separable.rawValue {
      guard
        let separable = totals.first(where: {
          $0.model == NetworkForm.separable.rawValue && $0.threads == totals[index].threads
        })
      else { continue }
      totals[index].speedupOfSeparable =
        totals[index].statistics.median / separable.statistics.median
      totals[index].multRatio = Double(totals[index].mults) / Double(separable.mults)
    }
    self.rows = rows + totals
  }

  /// The total rows.
  public var totals: [Row] { rows.filter { $0.layer == "total" } }

  /// The cells of one row.
  public static func cells(_ row: Row) -> [String] {
    let median = row.statistics.median
    return [
      row.tool, row.network, DecimalText.text(row.width, digits: 4), String(row.resolution),
      row.model, String(row.threads), row.layer, row.kind, row.variantID, row.layout,
      String(row.macs), String(row.mults), String(row.params), String(row.statistics.count),
      DecimalText.text(median, digits: 1), DecimalText.text(row.statistics.medianLow, digits: 1),
      DecimalText.text(row.statistics.medianHigh, digits: 1),
      DecimalText.text(row.share, digits: 4),
      DecimalText.text(row.macs > 0 ? 2 * Double(row.macs) / median : nil, digits: 3),
      DecimalText.text(row.aloneNanoseconds, digits: 1),
      DecimalText.text(row.aloneNanoseconds.map { median / $0 }, digits: 3),
      DecimalText.text(row.speedupOfSeparable, digits: 3),
      DecimalText.text(row.multRatio, digits: 3),
    ]
  }

  /// The whole `network.csv`.
  public var csv: String {
    var writer = CSVWriter(header: Self.header)
    for row in rows { writer.append(Self.cells(row)) }
    return writer.text
  }
}
