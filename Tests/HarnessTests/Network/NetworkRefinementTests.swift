import ConvKernels
import Harness
import KernelCatalog
import Testing

@Suite struct NetworkRefinementTests {
  let stages = try! MobileNetV1.model(width: 0.25, resolution: 32).stages(.separable)

  func timing(_ stage: String, _ family: String, threads: Int = 1, _ ns: Double) -> LayerTiming {
    let stage = stages.first { $0.name == stage }!
    return LayerTiming(
      shape: stage.problem!.descriptor, op: stage.op!, family: family, layout: .nchw,
      threads: threads, median: ns, source: "test")
  }

  /// Every kernel stage at 10 ns in NCHW with its usual family; then b03's `unfused` at 10.5
  /// (5 % slower alone: close), b04's at 12 (20 %: not close), b05's on 2 threads at 9 when
  /// the plan is for 1 (not a candidate), and b06's naive at 10.9.
  var timings: [LayerTiming] {
    stages.filter { $0.op != nil }.map {
      timing($0.name, $0.op == .pw ? "packed-gemm" : "bn-folded", 10)
    } + [
      timing("b03", "unfused", 10.5), timing("b04", "unfused", 12),
      timing("b05", "unfused", threads: 2, 9), timing("b06", "naive", 10.9),
    ]
  }

  @Test func alternativesAreTheClosestOtherKernelWithinTheTolerance() throws {
    let plan = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 1, timings: timings, layouts: [.nchw])
    let alternatives = NetworkPlanner.alternatives(
      to: plan, stages: stages, timings: timings, tolerance: 0.10)
    #expect(alternatives.keys.sorted() == ["b03", "b06"])
    #expect(alternatives["b03"]?.variant.id == "sep_block.unfused.nchw")
    #expect(alternatives["b03"]?.aloneNanoseconds == 10.5)
    #expect(alternatives["b06"]?.variant.id == "sep_block.naive.nchw")
    // A wider tolerance takes b04 too; none for a stem that reads the planar image.
    let wider = NetworkPlanner.alternatives(
      to: plan, stages: stages, timings: timings, tolerance: 0.25)
    #expect(wider.keys.sorted() == ["b03", "b04", "b06"])
  }

  @Test func aStemReadingThePlanarImageHasNoAlternative() throws {
    let all = timings + [timing("conv1", "unfused", 10.1)]
    let planned = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 1, timings: all, layouts: [.nchw])
    // The planned stem has a close alternative; the planar stem that replaces it has none.
    #expect(
      NetworkPlanner.alternatives(to: planned, stages: stages, timings: all, tolerance: 1)[
        "conv1"]?.variant.id == "conv_block.unfused.nchw")
    let planar = try #require(PlanarInputStems.variants(isa: .avx2, threads: 1).first)
    let plan = planned.replacing([
      "conv1": StageChoice(stage: "conv1", variant: planar, aloneNanoseconds: 9, source: "test")
    ])
    let alternatives = NetworkPlanner.alternatives(
      to: plan, stages: stages, timings: all, tolerance: 1)
    #expect(alternatives["conv1"] == nil)
    #expect(alternatives["b03"] != nil)
  }

  /// Naive against the fast kernel inside the network: the naive kernel is many times slower
  /// on every machine, so the fast one is kept whichever side of the swap it is on.
  @Test func theKernelFasterInsideTheNetworkIsKept() throws {
    let (network, stages, weights) = try NetworkFixture.compile(
      .separable, width: 0.25, resolution: 32, layout: .nchw)
    let fast = try #require(network.plan.choices["b02"])
    let slow = StageChoice(
      stage: "b02",
      variant: VariantRegistry.family(op: .sepBlock, named: "naive")!
        .init(layout: .nchw, threads: 1),
      aloneNanoseconds: 1, source: "test")
    let timer = NetworkTimer(warmUpNanoseconds: 0, repetitions: 5)

    let keep = NetworkRefinement(
      network.plan, alternatives: ["b02": [slow]], stages: stages, weights: weights,
      input: network.input, timer: timer)
    #expect(keep.plan.choices["b02"]?.variant.id == fast.variant.id)
    #expect(keep.plan.choices["b02"]?.source == fast.source)

    let swap = NetworkRefinement(
      network.plan.replacing(["b02": slow]), alternatives: ["b02": [fast]], stages: stages,
      weights: weights, input: network.input, timer: timer)
    #expect(swap.plan.choices["b02"]?.variant.id == fast.variant.id)
    #expect(swap.plan.choices["b02"]?.source == fast.source)

    for decision in [keep.decisions, swap.decisions].map({ $0.first }) {
      let decision = try #require(decision)
      #expect(decision.stage == "b02" && decision.model == "separable" && decision.threads == 1)
      #expect(decision.kept == fast.variant.id && decision.dropped == slow.variant.id)
      #expect(decision.keptNanoseconds < decision.droppedNanoseconds)
    }
    #expect(keep.decisions.count == 1 && swap.decisions.count == 1)
    // Every other stage keeps the plan's kernel.
    for (name, choice) in network.plan.choices where name != "b02" {
      #expect(swap.plan.choices[name]?.variant.id == choice.variant.id)
    }
  }

  @Test func closeKernelsAreEveryOtherCandidateWithinTheToleranceClosestFirst() throws {
    let all = timings + [timing("b03", "naive", 10.8), timing("b03", "fused", 11.5)]
    let plan = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 1, timings: all, layouts: [.nchw])
    let close = NetworkPlanner.closeKernels(
      to: plan, stages: stages, timings: all, tolerance: 0.10)
    #expect(close.keys.sorted() == ["b03", "b06"])
    // fused has no NCHW version, so it is no candidate at any tolerance.
    #expect(
      close["b03"]?.map(\.variant.id) == ["sep_block.unfused.nchw", "sep_block.naive.nchw"])
    #expect(close["b06"]?.map(\.variant.id) == ["sep_block.naive.nchw"])
    let alternatives = NetworkPlanner.alternatives(
      to: plan, stages: stages, timings: all, tolerance: 0.10)
    #expect(alternatives.mapValues(\.variant.id) == close.compactMapValues(\.first?.variant.id))
  }

  /// b03's kernel of `family` in NCHW on one thread, as a plan's choice.
  func choice(_ family: String) -> StageChoice {
    StageChoice(
      stage: "b03",
      variant: VariantRegistry.family(op: .sepBlock, named: family)!
        .init(layout: .nchw, threads: 1),
      aloneNanoseconds: 1, source: "test")
  }

  /// The planned kernel keeps its place unless the fastest alternative beat it by the
  /// margin (0.5 %), whichever rank that alternative had.
  @Test func theFastestAlternativeReplacesThePlannedKernelByTheMargin() throws {
    #expect(NetworkRefinement.kernelMargin == 0.005)
    let planned = (choice("bn-folded"), 1000.0)
    func kept(_ times: [(String, Double)]) -> String {
      NetworkRefinement.settle(
        planned: planned, alternatives: times.map { (choice($0.0), $0.1) }
      ).0.variant.id
    }
    #expect(kept([("unfused", 996), ("naive", 2000)]) == "sep_block.bn-folded.nchw")
    #expect(kept([("unfused", 994), ("naive", 2000)]) == "sep_block.unfused.nchw")
    #expect(kept([("naive", 2000), ("unfused", 990)]) == "sep_block.unfused.nchw")
    #expect(kept([("naive", 980), ("unfused", 990)]) == "sep_block.naive.nchw")
    #expect(kept([]) == "sep_block.bn-folded.nchw")
  }

  /// Two close alternatives for one layer: both are timed inside the network, each in its
  /// own twin of the plan, and the naive kernel loses to whichever fast one is kept.
  @Test func everyCloseAlternativeIsTimed() throws {
    let (network, stages, weights) = try NetworkFixture.compile(
      .separable, width: 0.25, resolution: 32, layout: .nchw)
    let planned = try #require(network.plan.choices["b03"])
    let others = ["naive", "unfused", "bn-folded"].filter {
      "sep_block.\($0).nchw" != planned.variant.id
    }.map(choice)
    let refinement = NetworkRefinement(
      network.plan, alternatives: ["b03": others], stages: stages, weights: weights,
      input: network.input, timer: NetworkTimer(warmUpNanoseconds: 0, repetitions: 5))
    let decisions = refinement.decisions
    #expect(decisions.count == others.count)
    let kept = try #require(refinement.plan.choices["b03"]).variant.id
    #expect(kept != "sep_block.naive.nchw")
    #expect(decisions.allSatisfy { $0.stage == "b03" && $0.kept == kept })
    #expect(
      Set(decisions.map(\.dropped) + [kept])
        == Set(([planned] + others).map(\.variant.id)))
    let naive = try #require(decisions.first { $0.dropped == "sep_block.naive.nchw" })
    #expect(naive.keptNanoseconds < naive.droppedNanoseconds)
  }

  @Test func noAlternativesLeaveThePlanUntimed() throws {
    let (network, stages, weights) = try NetworkFixture.compile(
      .separable, width: 0.25, resolution: 32, layout: .nchw)
    let refinement = NetworkRefinement(
      network.plan, alternatives: [:], stages: stages, weights: weights, input: network.input,
      timer: NetworkTimer(warmUpNanoseconds: 0, repetitions: 1))
    #expect(refinement.decisions.isEmpty)
    #expect(
      refinement.plan.choices.mapValues(\.variant.id)
        == network.plan.choices.mapValues(\.variant.id))
  }
}
