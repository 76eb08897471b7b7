import ConvKernels
import Harness
import KernelCatalog
import Testing

@Suite struct NetworkPlannerTests {
  let stages = try! MobileNetV1.model(width: 0.25, resolution: 32).stages(.separable)

  func timing(
    _ stage: NetworkStage, _ family: String, _ layout: Layout, threads: Int = 1, _ ns: Double
  )
    -> LayerTiming
  {
    LayerTiming(
      shape: stage.problem!.descriptor, op: stage.op!, family: family, layout: layout,
      threads: threads, median: ns, source: "test")
  }

  /// Every kernel stage timed in both layouts: NCHW at 10 ns, NHWC at 12, except the stem
  /// whose NHWC kernel takes 1 ns; NCHW sums to 150 ns, NHWC to 12 * 14 + 1 = 169.
  var bothLayouts: [LayerTiming] {
    stages.filter { $0.op != nil }.flatMap { stage -> [LayerTiming] in
      let family = stage.op == .pw ? "packed-gemm" : "bn-folded"
      return [
        timing(stage, family, .nchw, 10),
        timing(stage, family, .nhwc, stage.name == "conv1" ? 1 : 12),
      ]
    }
  }

  @Test func theLayoutWhoseLayersSumFastestWins() throws {
    let plan = try NetworkPlanner.plan(.separable, stages: stages, threads: 1, timings: bothLayouts)
    #expect(plan.layout == .nchw)
    #expect(plan.reorders == 0)
    #expect(plan.aloneTotal == 150)
    #expect(plan.choices.count == 15)
    #expect(plan.choices["b03"]?.variant.id == "sep_block.bn-folded.nchw")
    let nhwc = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 1, timings: bothLayouts, layouts: [.nhwc])
    #expect(nhwc.reorders == 1)
    #expect(nhwc.aloneTotal == 169)
  }

  /// A folder measured on an AVX-512 machine times `bn-folded-avx512` fastest; the plan takes
  /// it only where this CPU runs AVX-512, and the AVX2 family otherwise (never a family whose
  /// code would die of SIGILL here).
  @Test func familiesThisCPUCannotRunAreNeverChosen() throws {
    let fromAnotherMachine =
      bothLayouts
      + stages.filter { $0.op == .sepBlock }.map {
        timing($0, "bn-folded-avx512", .nchw, 1)
      }
    let plan = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 1, timings: fromAnotherMachine, layouts: [.nchw])
    #expect(
      plan.choices["b03"]?.variant.id
        == (ISA.avx512.isSupported
          ? "sep_block.bn-folded-avx512.nchw" : "sep_block.bn-folded.nchw"))
  }

  /// NHWC stages at 12 ns (stem 1 ns, as `bothLayouts`), reorder 5 ns. A planar stem of 4 ns
  /// on 2 threads beats reorder + NHWC stem (5 + 1 timed side by side), and a second planar
  /// stem of 3.5 ns (listed after it) beats both, so it replaces them; one of 6.5 ns does not,
  /// and the reorder then counts in the total. The planar time on 4 threads (not asked) is
  /// never taken.
  @Test(.enabled(if: ISA.avx2.isSupported, "the planner takes only stems this CPU runs"))
  func theStemReadsTheImageItselfWhereThatBeatsReorderPlusStem() throws {
    let faster = InputStepTimings(
      reorder: 5, nhwcStem: [1: 1, 2: 1],
      planarStems: [
        planar(.avx2, threads: 1, 9), planar(.avx2, threads: 2, 4), planar(.avx2, threads: 4, 0.5),
        planar(.avx2, "planar-im2col", threads: 2, 3.5),
      ])
    let plan = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 2, timings: bothLayouts, layouts: [.nhwc],
      inputSteps: faster)
    #expect(plan.choices["conv1"]?.variant.id == "conv_block.planar-im2col.nhwc.t2")
    #expect(plan.choices["conv1"]?.aloneNanoseconds == 3.5)
    #expect(plan.stemReadsPlanarInput)
    #expect(plan.reorders == 0)
    #expect(plan.reorderNanoseconds == nil)
    #expect(plan.aloneTotal == 12 * 14 + 3.5)

    let slower = InputStepTimings(
      reorder: 5, nhwcStem: [1: 1],
      planarStems: [planar(.avx2, threads: 1, 7), planar(.avx2, threads: 2, 6.5)])
    let kept = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 2, timings: bothLayouts, layouts: [.nhwc],
      inputSteps: slower)
    #expect(kept.choices["conv1"]?.variant.id == "conv_block.bn-folded.nhwc")
    #expect(!kept.stemReadsPlanarInput)
    #expect(kept.reorders == 1)
    #expect(kept.aloneTotal == 12 * 14 + 1 + 5)

    // The reorder's cost can tip the layout: NHWC with reorder sums to 169 + 5, NCHW to 150;
    // a 1 ns planar stem makes NHWC 12 * 14 + 1 = 169, still slower than NCHW.
    let either = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 1, timings: bothLayouts,
      inputSteps: InputStepTimings(
        reorder: 5, nhwcStem: [1: 1], planarStems: [planar(.avx2, threads: 1, 1)]))
    #expect(either.layout == .nchw && either.reorders == 0 && !either.stemReadsPlanarInput)
  }

  /// Planar stems of two ISAs: the faster one that this CPU runs is taken, on its threads.
  @Test(.enabled(if: ISA.avx512.isSupported, "needs AVX-512"))
  func thePlanarStemOfAnyISAThisCPURunsCanWin() throws {
    let steps = InputStepTimings(
      reorder: 5, nhwcStem: [1: 1, 2: 1],
      planarStems: [
        planar(.avx2, threads: 2, 4), planar(.avx512, threads: 1, 3),
        planar(.avx512, threads: 2, 3.5),
      ])
    let plan = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 2, timings: bothLayouts, layouts: [.nhwc],
      inputSteps: steps)
    #expect(plan.choices["conv1"]?.variant.id == "conv_block.planar-direct-avx512.nhwc")
    #expect(plan.choices["conv1"]?.aloneNanoseconds == 3)
    #expect(plan.stemReadsPlanarInput && plan.reorders == 0)
  }

  /// A timing of `isa`'s stem `family`, or of its first stem.
  private func planar(_ isa: ISA, _ family: String? = nil, threads: Int, _ nanoseconds: Double)
    -> InputStepTimings.PlanarStem
  {
    let stems = PlanarInputStems.variants(isa: isa, threads: threads)
    let stem = family.map { name in stems.first { type(of: $0).family == name }! } ?? stems[0]
    return InputStepTimings.PlanarStem(stem, nanoseconds: nanoseconds)
  }

  @Test func eachStageTakesItsFastestKernelOnOneOrTheAskedThreads() throws {
    let b05 = stages.first { $0.name == "b05" }!
    let extra = [
      timing(b05, "fused", .nchw, threads: 2, 3),  // fused has no NCHW version: not offered
      timing(b05, "unfused", .nchw, threads: 2, 4),
      timing(b05, "unfused", .nchw, threads: 4, 1),  // 4 threads: not asked
      timing(b05, "no-such-family", .nchw, threads: 1, 1),
    ]
    let plan = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 2, timings: bothLayouts + extra, layouts: [.nchw])
    #expect(plan.choices["b05"]?.variant.id == "sep_block.unfused.nchw.t2")
    #expect(plan.choices["b05"]?.aloneNanoseconds == 4)
    #expect(plan.choices["b04"]?.variant.threads == 1)
    #expect(plan.choices["b04"]?.source == "test")
  }

  @Test func theWinogradTwinRunsWinogradOnStrideOneBlocksOnly() throws {
    let twin = try MobileNetV1.model(width: 0.25, resolution: 32).stages(.winograd)
    let timings = twin.filter { $0.op != nil }.flatMap { stage -> [LayerTiming] in
      let family = stage.op == .pw ? "packed-gemm" : "bn-folded"
      return [timing(stage, family, .nhwc, 5), timing(stage, "winograd-f2x2", .nhwc, 50)]
    }
    let plan = try NetworkPlanner.plan(.winograd, stages: twin, threads: 1, timings: timings)
    for stage in twin where stage.isBlock {
      let id = plan.choices[stage.name]!.variant.id
      #expect(
        id
          == (stage.problem!.stride == 1
            ? "conv_block.winograd-f2x2.nhwc" : "conv_block.bn-folded.nhwc"),
        "\(stage.name)")
    }
    #expect(plan.choices["conv1"]?.variant.id == "conv_block.bn-folded.nhwc")
    let standard = try NetworkPlanner.plan(.standard, stages: twin, threads: 1, timings: timings)
    #expect(standard.choices.values.allSatisfy { !$0.variant.id.contains("winograd") })
  }

  @Test func aStageWithoutAKernelIsNamed() throws {
    let partial = bothLayouts.filter { $0.shape != stages[7].problem!.descriptor }
    #expect {
      try NetworkPlanner.plan(.separable, stages: stages, threads: 1, timings: partial)
    } throws: { error in
      "\(error)".contains("for stage b07 (nchw), b07 (nhwc)")
        && "\(error)".contains("separable network on 1 thread")
    }
  }
}

@Suite struct NetworkTuningCoverageTests {
  /// b03 of α 0.25 at 32x32: 32 -> 32 channels on 8x8, stride 1 (Winograd runs it).
  let problem = try! ConvProblem(descriptor: "n1c32h8w8o32k3s1p1")

  /// The tuned conv_block families this CPU can run (the AVX-512 ones only where it has
  /// AVX-512).
  static var runnableFamilies: [String] {
    VariantRegistry.families(for: .convBlock).filter {
      $0.isa.isSupported && !NetworkTuning.excludedFamilies.contains($0.family)
    }.map { $0.family }
  }

  func timings(_ families: [String]) -> [LayerTiming] {
    families.flatMap { family in
      Layout.allCases.flatMap { layout in
        [1, 2].map {
          LayerTiming(
            shape: problem.descriptor, op: .convBlock, family: family, layout: layout,
            threads: $0, median: 1, source: "folder")
        }
      }
    }
  }

  @Test func aFolderWithSomeFamiliesLeavesTheShapeToTune() {
    #expect(
      !NetworkTuning.covers(
        timings(["bn-folded"]), problem: problem, op: .convBlock, threads: [1, 2]))
    let all = Self.runnableFamilies
    #expect(all.contains("winograd-f4x4") && all.contains("bn-folded"))
    #expect(NetworkTuning.covers(timings(all), problem: problem, op: .convBlock, threads: [1, 2]))
    #expect(!NetworkTuning.covers(timings(all), problem: problem, op: .sepBlock, threads: [1, 2]))
  }

  @Test func familiesThatCannotRunTheShapeAreNotAskedFor() throws {
    // Stride 2: Winograd is skipped, so the direct families cover it.
    let strided = try ConvProblem(descriptor: "n1c32h8w8o32k3s2p1")
    let direct = Self.runnableFamilies.filter { !$0.hasPrefix("winograd") }.flatMap { family in
      Layout.allCases.map {
        LayerTiming(
          shape: strided.descriptor, op: .convBlock, family: family, layout: $0, threads: 1,
          median: 1, source: "folder")
      }
    }
    #expect(NetworkTuning.covers(direct, problem: strided, op: .convBlock, threads: [1]))
  }
}
