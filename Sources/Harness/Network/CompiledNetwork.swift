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
      guard let index = stages.firstIndex(where: { $0.spec.name == name }) else {
        preconditionFailure("depth-first pair at \(name): no such stage")
      }
      guard let (first, second) = Self.rowBandKernels(stages, at: index) else {
        preconditionFailure("\(name) cannot run depth-first with the next stage")
      }
      precondition(
        pairs[index] == nil && (index == 0 || pairs[index - 1] == nil)
          && !plan.depthFirst.contains(stages[index + 1].spec.name),
        "depth-first pair at \(name) overlaps another")
      // Stage i + 1 writes the buffer stage i reads, unless stage i reads the input image.
      let (inputShape, outputShape) = (
        stages[index].spec.inputShape, stages[index + 1].spec.outputShape
      )
      pairs[index] = DepthFirstPair(
        first: first, second: second,
        overwrite: index > 0
          ? (
            inputRowFloats: inputShape.count / inputShape.h,
            outputRowFloats: outputShape.count / outputShape.h
          ) : nil, bandRows: plan.bandRows)
    }
    self.pairs = pairs
  }

  /// The kernels of stage `index` and the next when they can run depth-first: both compute
  /// bands of rows of one image (the second reads the first's output).
  private static func rowBandKernels(_ stages: [Stage], at index: Int) -> (
    any RowBandKernel, any RowBandKernel
  )? {
    guard index + 1 < stages.count, stages[index].spec.inputShape.n == 1,
      let first = stages[index].kernel as? any RowBandKernel,
      let second = stages[index + 1].kernel as? any RowBandKernel
    else { return nil }
    return (first, second)
  }

  /// Whether the kernel of the stage named `name` computes bands of rows of one image, so that
  /// it can take part in a depth-first pair.
  public func runsInRowBands(_ name: String) -> Bool {
    stages.firstIndex { $0.spec.name == name }.map(runsInRowBands(at:)) ?? false
  }

  private func runsInRowBands(at index: Int) -> Bool {
    stages[index].spec.inputShape.n == 1 && stages[index].kernel is any RowBandKernel
  }

  /// Threads that run the depth-first pair starting at stage `name` in lanes, each its own
  /// part of the image (`DepthFirstLanes`); 1 when the pair runs band after band, nil when
  /// no pair starts there.
  public func depthFirstLanes(at name: String) -> Int? {
    guard let index = stages.firstIndex(where: { $0.spec.name == name }) else { return nil }
    return pairs[index]?.laneCount
  }

  /// The stages that could run depth-first with the next (`NetworkPlan.depthFirst`) with the
  /// plan's own kernels, paired in order from the first (b01+b02, b03+b04, ...), so no two
  /// overlap.
  public var depthFirstCandidates: [String] {
    Self.pairsInOrder(stages.indices.map(runsInRowBands(at:))).map { stages[$0].spec.name }
  }

  /// The first stage of each pair of neighbours that both `canPair`, taken in order from the
  /// first stage so that no two pairs overlap.
  static func pairsInOrder(_ canPair: [Bool]) -> [Int] {
    var firsts: [Int] = []
    var index = 0
    while index + 1 < canPair.count {
      if canPair[index] && canPair[index + 1] {
        firsts.append(index)
        index += 2
      } else {
        index += 1
      }
    }
    return firsts
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
  /// stamped with the time its bands took (estimated in lanes: `DepthFirstPair.run`), the
  /// second with the rest of the pair's time.
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
        let firstNanoseconds = pair.run(
          source(index), destination(index), destination(index + 1))
        if let stamps {
          stamps[index + 1] = stamps[index] + firstNanoseconds
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
  /// Each stage writes into an output filled with NaN, so an output it never writes is seen.
  /// A depth-first pair runs as in `forward`, on the network's buffers (the second stage
  /// writing over the first's input, so a first stage that fell behind reads wrong rows); its
  /// middle output is filled with NaN first, and so is its last unless that buffer holds the
  /// first stage's input.
  public func forward(observing observe: (Int, Tensor) -> Void) {
    for pool in pools { pool.wake() }
    var index = 0
    while index < stages.count {
      guard let pair = pairs[index] else {
        let output = Tensor(shape: stages[index].spec.outputShape, layout: plan.layout, value: .nan)
        stages[index].kernel.run(source(index), output.pointer)
        destination(index).update(from: output.pointer, count: output.shape.count)
        observe(index, output)
        index += 1
        continue
      }
      let (middle, last) = (destination(index), destination(index + 1))
      middle.update(repeating: .nan, count: stages[index].spec.outputShape.count)
      if index == 0 { last.update(repeating: .nan, count: stages[1].spec.outputShape.count) }
      pair.run(source(index), middle, last)
      for (offset, buffer) in [middle, last].enumerated() {
        let shape = stages[index + offset].spec.outputShape
        let output = Tensor(shape: shape, layout: plan.layout, value: 0)
        output.pointer.update(from: buffer, count: shape.count)
        observe(index + offset, output)
      }
      index += 2
    }
  }

  /// The logits of the last forward pass.
  public var output: [Float] {
    let count = stages[stages.count - 1].spec.outputShape.count
    return Array(UnsafeBufferPointer(start: destination(stages.count - 1), count: count))
  }
}
