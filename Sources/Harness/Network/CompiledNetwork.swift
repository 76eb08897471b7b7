import ConvKernels

/// A network ready to run: every stage's kernel prepared with the network's weights, and the
/// activations in two buffers that the stages write in turn (each stage reads the buffer the
/// one before it wrote). Nothing is allocated in `forward`.
public final class CompiledNetwork {
  /// One prepared stage.
  public struct Stage {
    public let spec: NetworkStage
    /// `op.family.layout[.tN]` of the kernel, or `avg_pool.<layout>` / `reorder.nchw-nhwc`.
    public let variantID: String
    let kernel: any PreparedKernel
  }

  public let plan: NetworkPlan
  /// The stages in order, with the reorder first when the plan has one (`NetworkPlan.reorders`).
  public let stages: [Stage]
  /// The NCHW input image.
  public let input: Tensor
  private let buffers: (AlignedBuffer, AlignedBuffer)
  /// The pools of the stages that run on more than one thread, woken at the start of a pass.
  private let pools: [WorkerPool]

  /// Prepares `stages` (without reorder; see `NetworkModel.stages`) with `weights` as `plan`
  /// says, for the NCHW `input`.
  public init(
    plan: NetworkPlan, stages specs: [NetworkStage], weights: [StageWeights], input: Tensor
  ) {
    precondition(specs.count == weights.count, "one set of weights per stage")
    precondition(input.layout == .nchw && input.shape == specs[0].inputShape, "NCHW input")
    self.plan = plan
    self.input = input
    var stages: [Stage] = []
    var pools: [Int: WorkerPool] = [:]
    if plan.reorders > 0 {
      stages.append(
        Stage(
          spec: .reorder(input.shape), variantID: "reorder.nchw-nhwc",
          kernel: ReorderKernel(shape: input.shape)))
    }
    for (spec, stageWeights) in zip(specs, weights) {
      switch spec.kind {
      case .averagePool:
        stages.append(
          Stage(
            spec: spec, variantID: "avg_pool.\(plan.layout.rawValue)",
            kernel: AveragePoolKernel(shape: spec.inputShape, layout: plan.layout)))
      case .reorder:
        stages.append(
          Stage(
            spec: spec, variantID: "reorder.nchw-nhwc",
            kernel: ReorderKernel(shape: spec.inputShape)))
      case .convBlock, .sepBlock, .fullyConnected:
        let choice = plan.choices[spec.name]!
        let pool = WorkerPool.with(threads: choice.variant.threads)
        if pool.threadCount > 1 { pools[pool.threadCount] = pool }
        let kernel = choice.variant.prepare(
          spec.problem!, stageWeights.parameters!, pool: pool)
        stages.append(
          Stage(
            spec: spec, variantID: choice.variant.id,
            kernel: spec.kind == .fullyConnected
              ? FullyConnectedKernel(product: kernel, bias: stageWeights.bias!) : kernel))
      }
    }
    self.stages = stages
    self.pools = pools.keys.sorted().map { pools[$0]! }
    let largest = stages.map(\.spec.outputShape.count).max() ?? 1
    buffers = (AlignedBuffer(count: largest), AlignedBuffer(count: largest))
  }

  /// The buffer stage `index` reads.
  private func source(_ index: Int) -> UnsafePointer<Float> {
    index == 0 ? UnsafePointer(input.pointer) : UnsafePointer(destination(index - 1))
  }

  /// The buffer stage `index` writes.
  private func destination(_ index: Int) -> UnsafeMutablePointer<Float> {
    index % 2 == 0 ? buffers.0.pointer : buffers.1.pointer
  }

  /// One forward pass. With `stamps` (room for `stages.count + 1` values), the monotonic
  /// clock is read before the first stage and after each.
  ///
  /// The pass starts by waking the workers of its multi-threaded stages (`WorkerPool.wake`),
  /// inside the timed span: after a pause longer than the workers' spin (another network's
  /// pass, a request gap), they would otherwise still be waking up while the first parallel
  /// stage ran, and the stem ran on one thread.
  @inline(__always)
  public func forward(stamps: UnsafeMutablePointer<UInt64>? = nil) {
    stamps?[0] = MonotonicClock.now()
    for pool in pools { pool.wake() }
    for index in stages.indices {
      stages[index].kernel.run(source(index), destination(index))
      stamps?[index + 1] = MonotonicClock.now()
    }
  }

  /// One forward pass that hands every stage's output (in the plan's layout) to `observe`.
  public func forward(observing observe: (Int, Tensor) -> Void) {
    for pool in pools { pool.wake() }
    for index in stages.indices {
      let shape = stages[index].spec.outputShape
      let output = Tensor(shape: shape, layout: plan.layout, value: .nan)
      stages[index].kernel.run(source(index), output.pointer)
      destination(index).update(from: output.pointer, count: shape.count)
      observe(index, output)
    }
  }

  /// The logits of the last forward pass.
  public var output: [Float] {
    let count = stages[stages.count - 1].spec.outputShape.count
    return Array(UnsafeBufferPointer(start: destination(stages.count - 1), count: count))
  }
}
