import ConvKernels

/// Decides which pairs of stages run depth-first (`DepthFirstPair`) by timing the plan both
/// ways inside the network, round-robin (`NetworkTimer`): a pair runs depth-first when the
/// median span of its two stages falls below `1 - margin` times their
/// median span layer by layer. Where cache sizes and prefetchers differ, so does the answer:
/// it is measured on each machine and thread count, not assumed.
public struct DepthFirstRefinement: Sendable {
  /// The plan with its depth-first pairs.
  public let plan: NetworkPlan
  /// Every pair timed both ways, in network order: `stage` names the two stages
  /// (`b01+b02`), `kept` and `dropped` are `depth-first` and `layer by layer`.
  public let decisions: [NetworkRefinement.Decision]

  /// Kernels of the plan replaced so that a kept pair can run depth-first: a stage whose
  /// planned kernel cannot compute bands of rows takes its close alternative that can.
  public let replaced: [String: StageChoice]

  /// A pair runs depth-first only when its span is below `1 - margin` times its span layer
  /// by layer.
  public static let margin = 0.02

  /// Times `plan` layer by layer and with every candidate pair depth-first with `timer`.
  ///
  /// A stage whose planned kernel cannot run in row bands may pair with its kernel from
  /// `alternatives` (close to the fastest alone, `NetworkPlanner.alternatives`) where that one
  /// can: on 2 threads the fused block and the BN-folded one often time within a few per cent
  /// of each other alone, and only the fused one runs depth-first. The pair is then timed
  /// with the alternatives against the plan's own kernels layer by layer.
  public init(
    _ plan: NetworkPlan, stages: [NetworkStage], weights: [StageWeights], input: Tensor,
    alternatives: [String: StageChoice] = [:], timer: NetworkTimer
  ) {
    let layered = CompiledNetwork(
      plan: plan.runningDepthFirst([]), stages: stages, weights: weights, input: input)
    let swapped =
      alternatives.isEmpty
      ? layered
      : CompiledNetwork(
        plan: plan.replacing(alternatives).runningDepthFirst([]), stages: stages,
        weights: weights, input: input)
    // Per stage: nil when neither kernel runs in row bands, else whether it needs the
    // alternative.
    let needsAlternative: [Bool?] = layered.stages.map { stage in
      let name = stage.spec.name
      if layered.runsInRowBands(name) { return false }
      return alternatives[name] != nil && swapped.runsInRowBands(name) ? true : nil
    }
    let firsts = CompiledNetwork.pairsInOrder(needsAlternative.map { $0 != nil })
    let candidates = firsts.map { layered.stages[$0].spec.name }
    var replacing: [String: StageChoice] = [:]
    for index in firsts.flatMap({ [$0, $0 + 1] }) where needsAlternative[index] == true {
      let name = layered.stages[index].spec.name
      replacing[name] = alternatives[name]
    }
    guard !candidates.isEmpty else {
      self.plan = plan.runningDepthFirst([])
      decisions = []
      replaced = [:]
      return
    }
    let paired = CompiledNetwork(
      plan: plan.replacing(replacing).runningDepthFirst(Set(candidates)), stages: stages,
      weights: weights, input: input)
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
    let keptStages = plan.runningDepthFirst(kept).depthFirstStages(in: stages)
    replaced = replacing.filter { keptStages.contains($0.key) }
    self.plan = plan.replacing(replaced).runningDepthFirst(kept)
    self.decisions = decisions
  }

  /// Whether a pair that took `depthFirst` nanoseconds depth-first and `layerByLayer` layer by
  /// layer runs depth-first.
  package static func keepsDepthFirst(_ depthFirst: Double, _ layerByLayer: Double) -> Bool {
    depthFirst < layerByLayer * (1 - margin)
  }
}
