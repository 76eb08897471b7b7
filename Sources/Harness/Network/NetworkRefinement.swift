import ConvKernels

/// Settles the layers whose two best kernels were close alone by timing both inside the
/// network.
///
/// A layer alone runs with its weights and input in cache, its input written by the same
/// threads; inside the network its weights come from farther away and its input was written
/// by the previous layer's split. Two kernels within a few per cent of each other alone can
/// swap places there (on a 2-vCPU Xeon, MobileNetV1's 14x14 blocks on 2 threads: the fused
/// block was the faster alone and the slower inside). So the plan and, per rank, a twin of it
/// with every layer's alternative of that rank swapped in (the closest alone first) are
/// compiled and timed round-robin, one forward pass each per round (`NetworkTimer`), and each
/// such layer keeps the kernel with the lowest median time inside its network. Neighbouring
/// layers change with the swap too, so a layer's time is measured among swapped neighbours;
/// the margin keeps a pick from flipping on noise alone.
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
  /// Every alternative timed against the kernel kept, in network order: for a layer with
  /// two close alternatives, two decisions with the same `kept`.
  public let decisions: [Decision]

  /// An alternative kernel replaces the planned one only when its median inside the network
  /// is below `1 - kernelMargin` times the planned one's. Smaller than a depth-first pair's
  /// (`DepthFirstRefinement.margin`): the planned kernel is only the faster alone, itself a
  /// measurement, and at 2 % many decisions kept the planned kernel although the alternative
  /// had timed faster (each decision's two times are in `inNetworkChoices` of the folder's
  /// meta.json). Timing every close kernel with this margin against only the closest with 2 %
  /// (`Scripts/ab-network --base B --head H --rounds 16`, Zen 3, a busy host) moved the whole
  /// network by a median 1.001 (rounds 0.978-1.014): nothing beyond the noise. In an A/A run
  /// of each build (`Scripts/ab-network --base X --head X --rounds 8`; dd3f372 against
  /// 1ce5fd1), both processes ran the same kernel on b04-b13 in 53 of 80 layer-rounds against
  /// 43: one run each, a hint that plans repeat more often.
  public static let kernelMargin = 0.005

  /// Compiles `plan` and, per rank r, the plan with every stage's r-th alternative swapped
  /// in (`alternatives`, closest first), times them all round-robin with `timer`, and keeps
  /// for each stage of `alternatives` the kernel with the lowest median inside its network
  /// (an alternative by `kernelMargin`; the kept choice as planned: alone time and source
  /// unchanged; `decisions` say what was timed).
  public init(
    _ plan: NetworkPlan, alternatives: [String: [StageChoice]], stages: [NetworkStage],
    weights: [StageWeights], input: Tensor, timer: NetworkTimer
  ) {
    let ranks = alternatives.values.map(\.count).max() ?? 0
    guard ranks > 0 else {
      self.plan = plan
      decisions = []
      return
    }
    let plans =
      [plan]
      + (0..<ranks).map { rank in
        plan.replacing(alternatives.compactMapValues { $0.count > rank ? $0[rank] : nil })
      }
    let networks = plans.map {
      CompiledNetwork(plan: $0, stages: stages, weights: weights, input: input)
    }
    let timings = timer.time(networks)
    let medians = zip(networks, timings).map { network, timing in
      Self.stageMedians(network, timing)
    }
    var kept: [String: StageChoice] = [:]
    var decisions: [Decision] = []
    for stage in stages {
      guard let others = alternatives[stage.name], let planned = plan.choices[stage.name],
        let plannedTime = medians[0][stage.name]
      else { continue }
      let timed = others.enumerated().compactMap { rank, choice in
        medians[rank + 1][stage.name].map { (choice, $0) }
      }
      let winner = Self.settle(planned: (planned, plannedTime), alternatives: timed)
      if winner.0.variant.id != planned.variant.id { kept[stage.name] = winner.0 }
      for loser in [(planned, plannedTime)] + timed
      where loser.0.variant.id != winner.0.variant.id {
        decisions.append(
          Decision(
            model: plan.form.rawValue, threads: plan.threads, stage: stage.name,
            kept: winner.0.variant.id, keptNanoseconds: winner.1, dropped: loser.0.variant.id,
            droppedNanoseconds: loser.1))
      }
    }
    self.plan = plan.replacing(kept)
    self.decisions = decisions
  }

  /// The kernel a layer keeps, with its median inside the network: the fastest of
  /// `alternatives` when it beat the planned kernel by `kernelMargin`, else the planned one.
  package static func settle(
    planned: (StageChoice, Double), alternatives: [(StageChoice, Double)]
  ) -> (StageChoice, Double) {
    guard let fastest = alternatives.min(by: { $0.1 < $1.1 }),
      fastest.1 < planned.1 * (1 - kernelMargin)
    else { return planned }
    return fastest
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
