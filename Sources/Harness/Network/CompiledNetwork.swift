import ConvKernels

/// A network ready to run: every stage's kernel prepared with the network's weights, and the
/// activations in two buffers that the stages write in turn (each stage reads the buffer the
/// one before it wrote). Nothing is allocated in `forward`. The pairs of stages that
/// `NetworkPlan.depthFirst` names run depth-first (`DepthFirstPair`).
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
  /// The depth-first pair that starts at each stage, if any.
  private let pairs: [DepthFirstPair?]

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
    var pairs = [DepthFirstPair?](repeating: nil, count: stages.count)
    for name in plan.depthFirst {
      let index = stages.firstIndex { $0.spec.name == name }!
      precondition(
        Self.pairsDepthFirst(stages, at: index), "\(name) cannot run depth-first with the next")
      let (first, second) = (stages[index], stages[index + 1])
      let overwrite =
        index > 0
        ? (
          inputRowFloats: first.spec.inputShape.count / first.spec.inputShape.h,
          outputRowFloats: second.spec.outputShape.count / second.spec.outputShape.h
        ) : nil
      pairs[index] = DepthFirstPair(
        first: first.kernel as! any RowBandKernel, second: second.kernel as! any RowBandKernel,
        overwrite: overwrite)
    }
    self.pairs = pairs
  }

  /// Whether stage `index` and the next can run depth-first: both compute bands of rows of one
  /// image, and the second reads the first's output.
  private static func pairsDepthFirst(_ stages: [Stage], at index: Int) -> Bool {
    index + 1 < stages.count && stages[index].kernel is any RowBandKernel
      && stages[index + 1].kernel is any RowBandKernel && stages[index].spec.inputShape.n == 1
  }

  /// The stages that could run depth-first with the next (`NetworkPlan.depthFirst`), in order;
  /// no two overlap.
  public var depthFirstCandidates: [String] {
    var names: [String] = []
    var index = 0
    while index < stages.count {
      if Self.pairsDepthFirst(stages, at: index) {
        names.append(stages[index].spec.name)
        index += 2
      } else {
        index += 1
      }
    }
    return names
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
  /// clock is read before the first stage and after each. A depth-first pair's first stage is
  /// stamped with the time its bands took, the second with the rest of the pair's time.
  ///
  /// The pass starts by waking the workers of its multi-threaded stages (`WorkerPool.wake`),
  /// inside the timed span: after a pause longer than the workers' spin (another network's
  /// pass, a request gap), they would otherwise still be waking up while the first parallel
  /// stage ran, and the stem ran on one thread.
  @inline(__always)
  public func forward(stamps: UnsafeMutablePointer<UInt64>? = nil) {
    stamps?[0] = MonotonicClock.now()
    for pool in pools { pool.wake() }
    var index = 0
    while index < stages.count {
      if let pair = pairs[index] {
        let first = pair.run(source(index), destination(index), destination(index + 1))
        if let stamps {
          stamps[index + 1] = stamps[index] + first
          stamps[index + 2] = MonotonicClock.now()
        }
        index += 2
      } else {
        stages[index].kernel.run(source(index), destination(index))
        stamps?[index + 1] = MonotonicClock.now()
        index += 1
      }
    }
  }

  /// One forward pass that hands every stage's output (in the plan's layout) to `observe`.
  /// Each stage, or depth-first pair, writes into outputs filled with NaN, so an output it
  /// never writes is seen.
  public func forward(observing observe: (Int, Tensor) -> Void) {
    for pool in pools { pool.wake() }
    var index = 0
    while index < stages.count {
      let count = pairs[index] == nil ? 1 : 2
      let outputs = (index..<(index + count)).map {
        Tensor(shape: stages[$0].spec.outputShape, layout: plan.layout, value: .nan)
      }
      if let pair = pairs[index] {
        pair.run(source(index), outputs[0].pointer, outputs[1].pointer)
      } else {
        stages[index].kernel.run(source(index), outputs[0].pointer)
      }
      for (offset, output) in outputs.enumerated() {
        destination(index + offset).update(from: output.pointer, count: output.shape.count)
        observe(index + offset, output)
      }
      index += count
    }
  }

  /// The logits of the last forward pass.
  public var output: [Float] {
    let count = stages[stages.count - 1].spec.outputShape.count
    return Array(UnsafeBufferPointer(start: destination(stages.count - 1), count: count))
  }
}
