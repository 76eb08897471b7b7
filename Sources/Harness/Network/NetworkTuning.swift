import ConvKernels
import KernelCatalog

/// The quick tuning pass of `sepbench network`: every candidate variant of every layer shape
/// the networks need is validated and timed alone, round-robin per shape, as `sepbench run`
/// does (the same `Runner`), with shorter sampling.
public struct NetworkTuning: Sendable {
  /// One shape to time and the operators that run on it.
  public struct Need: Hashable, Sendable {
    public let name: String
    public let problem: ConvProblem
    public let ops: [Op]
  }

  /// Shapes and operators, in first-use order.
  public let needs: [Need]
  /// Thread counts of the variants timed (1 is always included: a stage may run on one).
  public let threads: [Int]
  public var seed: UInt64 = 7
  public var minSampleNanoseconds: UInt64 = 2_000_000
  public var repetitions = 5
  public var caseBudgetNanoseconds: UInt64 = 250_000_000
  /// Families never tuned (the naive ones: seconds per call on full-size layers).
  public static let excludedFamilies: Set<String> = ["naive"]

  /// The shapes and operators of `stages` of every form in `forms`, minus those `known`
  /// already has timings for (on every thread count asked).
  public init(
    stages: [(NetworkForm, [NetworkStage])], threads: [Int], known: [LayerTiming] = []
  ) {
    var needs: [Need] = []
    let allThreads = Array(Set([1] + threads)).sorted()
    for (_, formStages) in stages {
      for stage in formStages {
        guard let op = stage.op, let problem = stage.problem else { continue }
        if Self.covers(known, problem: problem, op: op, threads: allThreads) { continue }
        if let index = needs.firstIndex(where: { $0.problem == problem }) {
          if !needs[index].ops.contains(op) {
            needs[index] = Need(
              name: needs[index].name, problem: problem, ops: needs[index].ops + [op])
          }
        } else {
          needs.append(Need(name: stage.name, problem: problem, ops: [op]))
        }
      }
    }
    self.needs = needs
    self.threads = allThreads
  }

  /// Whether `known` times every candidate of `op` on `problem`: each non-naive family, in
  /// each layout it has, on each thread count it runs, unless the family cannot run the shape
  /// on this CPU. A folder that timed only some families leaves the shape to be tuned.
  public static func covers(_ known: [LayerTiming], problem: ConvProblem, op: Op, threads: [Int])
    -> Bool
  {
    let timed = Set(
      known.lazy.filter { $0.shape == problem.descriptor && $0.op == op }.map {
        "\($0.family).\($0.layout.rawValue).\($0.threads)"
      })
    let families = VariantRegistry.families(for: op).filter {
      !excludedFamilies.contains($0.family)
    }
    return VariantRegistry.variants(of: families, layouts: Layout.allCases, threads: threads)
      .allSatisfy { variant in
        VariantRegistry.skipReason(variant, on: problem.part(for: op)) != nil
          || timed.contains(
            "\(type(of: variant).family).\(variant.layout.rawValue).\(variant.threads)")
      }
  }

  /// Validates and times every candidate; `shapeDone` gets each shape's rows as they finish.
  /// Returns the rows (ok, failed and skipped) and the timings of the validated variants.
  public func run(shapeDone: ([CaseResult]) -> Void = { _ in }) -> (
    rows: [CaseResult], timings: [LayerTiming]
  ) {
    var rows: [CaseResult] = []
    var preflight: [Op: [String: ValidationFailure]] = [:]
    for need in needs {
      var plan = RunPlan(
        suite: Suite(
          name: "network", summary: "layers of the network",
          cases: [SuiteCase(name: need.name, problem: need.problem)]),
        ops: need.ops,
        families: families(for: need.ops), layouts: Layout.allCases, threads: threads,
        minSampleNanoseconds: minSampleNanoseconds, repetitions: repetitions,
        caseBudgetNanoseconds: caseBudgetNanoseconds, seed: seed)
      plan.fixedThreads = true
      let runner = Runner(plan: plan)
      var failures: [String: ValidationFailure] = [:]
      for op in need.ops {
        if preflight[op] == nil {
          var onlyOp = plan
          onlyOp.ops = [op]
          preflight[op] = Runner(plan: onlyOp).preflight()
        }
        failures.merge(preflight[op]!) { a, _ in a }
      }
      let shapeRows = runner.measure(plan.suite.cases[0], preflightFailures: failures)
      shapeDone(shapeRows)
      rows += shapeRows
    }
    let timings = rows.compactMap { row -> LayerTiming? in
      guard row.status == .ok, let median = row.statistics?.median else { return nil }
      return LayerTiming(
        shape: row.blockProblem.descriptor, op: row.op, family: row.family, layout: row.layout,
        threads: row.threads, median: median, source: "tuned")
    }
    return (rows, timings)
  }

  private func families(for ops: [Op]) -> [String] {
    ops.flatMap { VariantRegistry.families(for: $0).map { $0.family } }
      .filter { !Self.excludedFamilies.contains($0) }
  }
}
