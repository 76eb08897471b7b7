import ConvKernels
import Harness
import KernelCatalog

/// Builds networks with fixed kernel choices (no tuning), for tests.
enum NetworkFixture {
  /// Timings that make `families` (by operator) the only candidates, each at `median`, in every
  /// layout the family has, on `threads` threads only (so that a plan for several threads runs
  /// every kernel on all of them).
  static func timings(
    for stages: [NetworkStage], families: [Op: [String]], threads: Int = 1, median: Double = 1
  ) -> [LayerTiming] {
    stages.flatMap { stage -> [LayerTiming] in
      guard let op = stage.op, let problem = stage.problem else { return [] }
      return (families[op] ?? []).flatMap { name -> [LayerTiming] in
        let family = VariantRegistry.family(op: op, named: name)!
        return family.layouts.map { layout in
          LayerTiming(
            shape: problem.descriptor, op: op, family: name, layout: layout, threads: threads,
            median: median, source: "fixture")
        }
      }
    }
  }

  /// The fast families of each form.
  static func families(_ form: NetworkForm) -> [Op: [String]] {
    switch form {
    case .separable: [.convBlock: ["bn-folded"], .sepBlock: ["bn-folded"], .pw: ["packed-gemm"]]
    case .standard: [.convBlock: ["bn-folded"], .pw: ["packed-gemm"]]
    case .winograd:
      [.convBlock: ["bn-folded", "winograd-f4x4"], .pw: ["packed-gemm"]]
    }
  }

  /// A compiled network of `form` in `layout`, with the stages, weights and input it used.
  static func compile(
    _ form: NetworkForm, width: Double, resolution: Int, layout: Layout, threads: Int = 1,
    seed: UInt64 = 7
  ) throws -> (network: CompiledNetwork, stages: [NetworkStage], weights: [StageWeights]) {
    let stages = try MobileNetV1.model(width: width, resolution: resolution).stages(form)
    let plan = try NetworkPlanner.plan(
      form, stages: stages, threads: threads,
      timings: timings(for: stages, families: families(form), threads: threads),
      layouts: [layout])
    let weights = stages.map { StageWeights(for: $0, seed: seed) }
    let input = Tensor.random(
      shape: TensorShape(n: 1, c: 3, h: resolution, w: resolution), layout: .nchw, seed: seed)
    return (
      CompiledNetwork(plan: plan, stages: stages, weights: weights, input: input), stages, weights
    )
  }
}
