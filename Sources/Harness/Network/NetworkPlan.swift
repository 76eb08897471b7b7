import ConvKernels
import KernelCatalog

/// The kernel chosen for one stage of a network.
public struct StageChoice: Sendable {
  public let stage: String
  /// The variant, on its own thread count (1 where one thread was the faster alone).
  public let variant: any KernelVariant
  /// The variant's median time on the stage's shape, benchmarked alone.
  public let aloneNanoseconds: Double
  /// `tuned`, or the folder the time came from.
  public let source: String

  public init(stage: String, variant: any KernelVariant, aloneNanoseconds: Double, source: String) {
    self.stage = stage
    self.variant = variant
    self.aloneNanoseconds = aloneNanoseconds
    self.source = source
  }
}

/// What runs one network at one thread count: a layout for every stage, and a kernel per
/// stage that has an operator.
public struct NetworkPlan: Sendable {
  public let form: NetworkForm
  /// The thread count asked for; a stage may run on fewer (see `StageChoice.variant`).
  public let threads: Int
  /// The one layout of every activation. NHWC needs one reorder, of the NCHW input image,
  /// unless the stem reads the image's planes itself (`PlanarInputVariant`).
  public let layout: Layout
  /// The choice for every stage with an operator, by stage name.
  public let choices: [String: StageChoice]
  /// The input reorder's time alone, where the plan has one and it was timed.
  public let reorderNanoseconds: Double?
  /// The stages that run depth-first with the next stage (`DepthFirstPair`), by name.
  public let depthFirst: Set<String>
  /// Output rows of the second stage per band of a depth-first pair.
  public let bandRows: Int

  /// The band height of depth-first pairs unless a run asks for another (`--band-rows`).
  public static let defaultBandRows = 2

  public init(
    form: NetworkForm, threads: Int, layout: Layout, choices: [String: StageChoice],
    reorderNanoseconds: Double? = nil, depthFirst: Set<String> = [],
    bandRows: Int = NetworkPlan.defaultBandRows
  ) {
    precondition(bandRows >= 1, "a band has rows")
    self.form = form
    self.threads = threads
    self.layout = layout
    self.choices = choices
    self.reorderNanoseconds = reorderNanoseconds
    self.depthFirst = depthFirst
    self.bandRows = bandRows
  }

  /// The plan with depth-first bands of `rows` output rows.
  public func banding(_ rows: Int) -> NetworkPlan {
    NetworkPlan(
      form: form, threads: threads, layout: layout, choices: choices,
      reorderNanoseconds: reorderNanoseconds, depthFirst: depthFirst, bandRows: rows)
  }

  /// The stages of the depth-first pairs: each named first stage and the stage after it in
  /// `stages`.
  public func depthFirstStages(in stages: [NetworkStage]) -> Set<String> {
    var names: Set<String> = []
    for (index, stage) in stages.enumerated() where depthFirst.contains(stage.name) {
      names.insert(stage.name)
      if index + 1 < stages.count { names.insert(stages[index + 1].name) }
    }
    return names
  }

  /// The plan with `depthFirst` as its depth-first pairs.
  public func runningDepthFirst(_ depthFirst: Set<String>) -> NetworkPlan {
    NetworkPlan(
      form: form, threads: threads, layout: layout, choices: choices,
      reorderNanoseconds: reorderNanoseconds, depthFirst: depthFirst, bandRows: bandRows)
  }

  /// Whether the stem reads the NCHW image itself, so an NHWC plan needs no reorder.
  public var stemReadsPlanarInput: Bool {
    choices.values.contains { $0.variant is any PlanarInputVariant }
  }

  /// Layout conversions inside the forward pass: the input image's, when the network is NHWC
  /// and its stem reads NHWC.
  public var reorders: Int { layout == .nhwc && !stemReadsPlanarInput ? 1 : 0 }

  /// The sum of the chosen kernels' times alone, and of the reorder's where it was timed: what
  /// the planner minimised.
  public var aloneTotal: Double {
    choices.values.reduce(reorders > 0 ? reorderNanoseconds ?? 0 : 0) {
      $0 + $1.aloneNanoseconds
    }
  }
}

/// Why no plan could be made.
public struct NetworkPlanError: Error, CustomStringConvertible, Sendable {
  public let description: String
}

/// Chooses the plan of a network from layer timings.
public enum NetworkPlanner {
  /// The plan of `form` on `threads` threads: for each layout of `layouts`, each stage takes
  /// its fastest timed variant (on 1 or `threads` threads, of a registered family that has the
  /// layout and computes with an algorithm the form admits);
  /// the layout whose chosen times sum lowest wins.
  ///
  /// With `inputSteps`, an NHWC plan counts its input reorder, and its stem becomes the
  /// fastest planar-input stem (reading the NCHW image, no reorder; of any ISA this CPU runs)
  /// where that alone is faster than the reorder plus the stem's fastest NHWC kernel, both as
  /// timed side by side in `inputSteps`.
  /// - Throws: `NetworkPlanError` naming a stage that no variant in any layout could run.
  public static func plan(
    _ form: NetworkForm, stages: [NetworkStage], threads: Int, timings: [LayerTiming],
    layouts: [Layout] = Layout.allCases, inputSteps: InputStepTimings? = nil
  ) throws(NetworkPlanError) -> NetworkPlan {
    var best: NetworkPlan?
    var missing: [String] = []
    for layout in layouts.sorted() {
      var choices: [String: StageChoice] = [:]
      for stage in stages {
        guard stage.op != nil else { continue }
        let ranked = Self.ranked(stage, form: form, layout: layout, threads: threads, timings)
        guard let fastest = ranked.first else {
          missing.append("\(stage.name) (\(layout.rawValue))")
          break
        }
        choices[stage.name] = fastest
      }
      guard choices.count == stages.filter({ $0.op != nil }).count else { continue }
      var reorder: Double?
      if layout == .nhwc, let inputSteps {
        reorder = inputSteps.reorder
        // The fastest time on 1 or `threads` threads, with its thread count.
        let fastest = { (times: [Int: Double]) in
          times.filter { $0.key == 1 || $0.key == threads }.min { $0.value < $1.value }
        }
        let planarStems = inputSteps.planarStems.filter {
          ($0.variant.threads == 1 || $0.variant.threads == threads)
            && type(of: $0.variant).isa.isSupported
        }
        if let stem = stages.first, stem.kind == .convBlock,
          let planar = planarStems.min(by: { $0.nanoseconds < $1.nanoseconds }),
          let nhwcStem = fastest(inputSteps.nhwcStem)?.value
            ?? choices[stem.name]?.aloneNanoseconds,
          planar.nanoseconds < inputSteps.reorder + nhwcStem
        {
          choices[stem.name] = StageChoice(
            stage: stem.name, variant: planar.variant,
            aloneNanoseconds: planar.nanoseconds, source: "tuned")
          reorder = nil
        }
      }
      let candidate = NetworkPlan(
        form: form, threads: threads, layout: layout, choices: choices,
        reorderNanoseconds: reorder)
      if best.map({ candidate.aloneTotal < $0.aloneTotal }) ?? true { best = candidate }
    }
    guard let best else {
      throw NetworkPlanError(
        description:
          "no validated kernel for the \(form.rawValue) network on \(threads) thread(s) for stage \(missing.joined(separator: ", "))"
      )
    }
    return best
  }

  /// For each stage of `plan` whose fastest other candidate (another family or thread count,
  /// in the plan's layout, as `plan` would choose) took at most `tolerance` more time alone
  /// than the chosen kernel, that candidate: a kernel that may run faster inside the network
  /// than alone suggests (`NetworkRefinement`). A stem that reads the planar image has none.
  public static func alternatives(
    to plan: NetworkPlan, stages: [NetworkStage], timings: [LayerTiming], tolerance: Double
  ) -> [String: StageChoice] {
    closeKernels(to: plan, stages: stages, timings: timings, tolerance: tolerance)
      .compactMapValues(\.first)
  }

  /// For each stage of `plan`, every other candidate (another family or thread count, in the
  /// plan's layout, as `plan` would choose) that took at most `tolerance` more time alone than
  /// the chosen kernel, closest first; stages with none are left out, and so is a stem that
  /// reads the planar image.
  public static func closeKernels(
    to plan: NetworkPlan, stages: [NetworkStage], timings: [LayerTiming], tolerance: Double
  ) -> [String: [StageChoice]] {
    var close: [String: [StageChoice]] = [:]
    for stage in stages {
      guard let chosen = plan.choices[stage.name],
        !(chosen.variant is any PlanarInputVariant)
      else { continue }
      let others = ranked(
        stage, form: plan.form, layout: plan.layout, threads: plan.threads, timings
      )
      .filter {
        $0.variant.id != chosen.variant.id
          && $0.aloneNanoseconds <= chosen.aloneNanoseconds * (1 + tolerance)
      }
      if !others.isEmpty { close[stage.name] = others }
    }
    return close
  }

  /// The candidates of `stage` in `layout`, fastest alone first: timed variants on 1 or
  /// `threads` threads of a family this CPU runs that has the layout and computes with an
  /// algorithm `form` admits; one (the fastest) per variant.
  static func ranked(
    _ stage: NetworkStage, form: NetworkForm, layout: Layout, threads: Int,
    _ timings: [LayerTiming]
  ) -> [StageChoice] {
    guard let op = stage.op, let problem = stage.problem else { return [] }
    var fastest: [String: StageChoice] = [:]
    for timing in timings
    where timing.shape == problem.descriptor && timing.op == op && timing.layout == layout
      && (timing.threads == 1 || timing.threads == threads)
    {
      // A folder from another machine may time families this CPU cannot run.
      guard let family = VariantRegistry.family(op: op, named: timing.family),
        family.isa.isSupported && family.layouts.contains(layout)
          && form.admits(family.algorithm, block: problem, isBlock: stage.isBlock)
      else { continue }
      let choice = StageChoice(
        stage: stage.name, variant: family.init(layout: layout, threads: timing.threads),
        aloneNanoseconds: timing.median, source: timing.source)
      if choice.aloneNanoseconds < fastest[choice.variant.id]?.aloneNanoseconds ?? .infinity {
        fastest[choice.variant.id] = choice
      }
    }
    return fastest.values.sorted {
      ($0.aloneNanoseconds, $0.variant.id) < ($1.aloneNanoseconds, $1.variant.id)
    }
  }
}

/// A plan as `meta.json` records it.
public struct NetworkPlanSummary: Codable, Sendable, Equatable {
  /// One stage's kernel.
  public struct Stage: Codable, Sendable, Equatable {
    public var stage: String
    public var variant: String
    public var isa: String
    public var algorithm: String
    public var threads: Int
    public var aloneTimeNs: Double
    public var source: String
    /// `true` when the stage runs depth-first with the next one (`NetworkPlan.depthFirst`);
    /// absent otherwise.
    public var depthFirstWithNext: Bool?
  }

  public var model: String
  public var threads: Int
  public var layout: String
  public var reorders: Int
  /// Output rows per band of the depth-first pairs; absent when no pair runs depth-first.
  public var depthFirstBandRows: Int?
  public var stages: [Stage]

  /// The summary of `plan`, its stages in the order of `order`.
  public init(_ plan: NetworkPlan, order: [NetworkStage]) {
    model = plan.form.rawValue
    threads = plan.threads
    layout = plan.layout.rawValue
    reorders = plan.reorders
    depthFirstBandRows = plan.depthFirst.isEmpty ? nil : plan.bandRows
    stages = order.compactMap { stage in
      plan.choices[stage.name].map { choice in
        let family = type(of: choice.variant)
        return Stage(
          stage: stage.name, variant: choice.variant.id, isa: family.isa.rawValue,
          algorithm: family.algorithm.rawValue, threads: choice.variant.threads,
          aloneTimeNs: choice.aloneNanoseconds, source: choice.source,
          depthFirstWithNext: plan.depthFirst.contains(stage.name) ? true : nil)
      }
    }
  }
}
