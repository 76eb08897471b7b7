import ConvKernels

/// Settles the layers whose two best kernels were close alone by timing both inside the
/// network.
///
/// A layer alone runs with its weights and input in cache, its input written by the same
/// threads; inside the network its weights come from farther away and its input was written
/// by the previous layer's split. Two kernels within a few per cent of each other alone can
/// swap places there (on a 2-vCPU Xeon, MobileNetV1's 14x14 blocks on 2 threads: the fused
/// block was the faster alone and the slower inside). So the plan and a twin of it with every
/// close alternative swapped in are compiled and timed round-robin, one forward pass each per
/// round (`NetworkTimer`), and each such layer keeps the kernel with the lower median time
/// inside its network. Neighbouring layers change with the swap too, so a layer's time is
/// measured among swapped neighbours; the margin keeps a pick from flipping on noise.
public struct NetworkRefinement: Sendable {
  /// One layer that was timed both ways.
  public struct Decision: Codable, Sendable, Equatable {
    /// The network (`separable`, `standard`, `winograd`), its thread count and the layer.
    public let model: String
    public let threads: Int
    public let stage: String
    /// The kernel kept, and its median time inside the network (ns).
    public let kept: String
    public let keptNanoseconds: Double
    /// The kernel dropped, and its median time inside the network (ns).
    public let dropped: String
    public let droppedNanoseconds: Double
  }

  /// The plan with each layer's kernel settled.
  public let plan: NetworkPlan
  /// Every layer timed both ways, in network order.
  public let decisions: [Decision]

  /// An alternative replaces the planned kernel only when its median inside the network is
  /// below `1 - margin` times the planned one's.
  public static let margin = 0.02

  /// Compiles `plan` and the plan with `alternatives` swapped in, times both with `timer`,
  /// and keeps for each stage of `alternatives` the faster kernel inside the network (its
  /// choice as planned: alone time and source unchanged; `decisions` say what was timed).
  public init(
    _ plan: NetworkPlan, alternatives: [String: StageChoice], stages: [NetworkStage],
    weights: [StageWeights], input: Tensor, timer: NetworkTimer
  ) {
    guard !alternatives.isEmpty else {
      self.plan = plan
      decisions = []
      return
    }
    let swapped = plan.replacing(alternatives)
    let networks = [plan, swapped].map {
      CompiledNetwork(plan: $0, stages: stages, weights: weights, input: input)
    }
    let timings = timer.time(networks)
    let medians = zip(networks, timings).map { network, timing in
      Self.stageMedians(network, timing)
    }
    var kept: [String: StageChoice] = [:]
    var decisions: [Decision] = []
    for stage in stages {
      guard let alternative = alternatives[stage.name], let planned = plan.choices[stage.name],
        let plannedTime = medians[0][stage.name], let alternativeTime = medians[1][stage.name]
      else { continue }
      let swap = alternativeTime < plannedTime * (1 - Self.margin)
      if swap { kept[stage.name] = alternative }
      let planTimed = (planned.variant.id, plannedTime)
      let alternativeTimed = (alternative.variant.id, alternativeTime)
      let (winner, loser) = swap ? (alternativeTimed, planTimed) : (planTimed, alternativeTimed)
      decisions.append(
        Decision(
          model: plan.form.rawValue, threads: plan.threads, stage: stage.name,
          kept: winner.0, keptNanoseconds: winner.1, dropped: loser.0,
          droppedNanoseconds: loser.1))
    }
    self.plan = plan.replacing(kept)
    self.decisions = decisions
  }

  /// Median time of each stage inside `network`, by stage name.
  static func stageMedians(_ network: CompiledNetwork, _ timing: NetworkTiming) -> [String: Double]
  {
    var medians: [String: Double] = [:]
    for (stage, median) in zip(network.stages, timing.stageMedians)
    where stage.spec.kind != .reorder {
      medians[stage.spec.name] = median
    }
    return medians
  }
}

extension NetworkPlan {
  /// The plan with the stages of `choices` replaced.
  public func replacing(_ choices: [String: StageChoice]) -> NetworkPlan {
    NetworkPlan(
      form: form, threads: threads, layout: layout,
      choices: self.choices.merging(choices) { _, new in new },
      reorderNanoseconds: reorderNanoseconds, depthFirst: depthFirst, bandRows: bandRows)
  }
}
