import ConvKernels

/// Decides which pairs of stages run depth-first (`DepthFirstPair`) by timing the plan both
/// ways inside the network, round-robin (`NetworkTimer`): a pair runs depth-first when the
/// median span of its two stages falls below `1 - NetworkRefinement.margin` times their
/// median span layer by layer. Where cache sizes and prefetchers differ, so does the answer:
/// it is measured on each machine and thread count, not assumed.
public struct DepthFirstRefinement: Sendable {
  /// The plan with its depth-first pairs.
  public let plan: NetworkPlan
  /// Every pair timed both ways, in network order: `stage` names the two stages
  /// (`b01+b02`), `kept` and `dropped` are `depth-first` and `layer by layer`.
  public let decisions: [NetworkRefinement.Decision]

  /// Times `plan` layer by layer and with every candidate pair depth-first with `timer`.
  public init(
    _ plan: NetworkPlan, stages: [NetworkStage], weights: [StageWeights], input: Tensor,
    timer: NetworkTimer
  ) {
    let layered = CompiledNetwork(
      plan: plan.runningDepthFirst([]), stages: stages, weights: weights, input: input)
    let candidates = layered.depthFirstCandidates
    guard !candidates.isEmpty else {
      self.plan = plan.runningDepthFirst([])
      decisions = []
      return
    }
    let paired = CompiledNetwork(
      plan: plan.runningDepthFirst(Set(candidates)), stages: stages, weights: weights,
      input: input)
    let timings = timer.time([layered, paired])
    var kept: Set<String> = []
    var decisions: [NetworkRefinement.Decision] = []
    for first in candidates {
      // Both networks have the same stages; a pair's time is the median over passes of its
      // two stages' span.
      let index = layered.stages.firstIndex { $0.spec.name == first }!
      let second = layered.stages[index + 1].spec.name
      let (layeredTime, pairedTime) = (
        timings[0].medianSpan(of: index...(index + 1)),
        timings[1].medianSpan(of: index...(index + 1))
      )
      let depthFirst = Self.keepsDepthFirst(pairedTime, layeredTime)
      if depthFirst { kept.insert(first) }
      let timed = [("depth-first", pairedTime), ("layer by layer", layeredTime)]
      let (winner, loser) = depthFirst ? (timed[0], timed[1]) : (timed[1], timed[0])
      decisions.append(
        NetworkRefinement.Decision(
          model: plan.form.rawValue, threads: plan.threads, stage: "\(first)+\(second)",
          kept: winner.0, keptNanoseconds: winner.1, dropped: loser.0,
          droppedNanoseconds: loser.1))
    }
    self.plan = plan.runningDepthFirst(kept)
    self.decisions = decisions
  }

  /// Whether a pair that took `depthFirst` nanoseconds depth-first and `layerByLayer` layer by
  /// layer runs depth-first.
  package static func keepsDepthFirst(_ depthFirst: Double, _ layerByLayer: Double) -> Bool {
    depthFirst < layerByLayer * (1 - NetworkRefinement.margin)
  }
}
