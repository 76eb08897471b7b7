/// The separable block as four passes over memory, each with the fastest kernel of its kind:
/// depthwise, BN+ReLU, pointwise, BN+ReLU. The depthwise output is a full intermediate tensor
/// (C_in x H_out x W_out floats, allocated in `prepare`) written once and read twice.
///
/// Components: the `dw` and `pw` families named below, run through their own prepared kernels
/// with this variant's layout and threads; BN+ReLU is `ScaleShiftReLU`.
struct SeparableBlockUnfused: KernelVariant {
  static let op = Op.sepBlock
  static let family = "unfused"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true
  static let requires: CPUFeatures = [.avx2, .fma]
  static let summary = "dw, BN+ReLU, pw, BN+ReLU as separate passes; full intermediate tensor"
  /// The depthwise and pointwise families used, the fastest of each measured here.
  static let depthwiseFamily = "naive"
  static let pointwiseFamily = "naive"

  let layout: Layout
  let threads: Int

  init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    stages(problem).compactMap { VariantRegistry.skipReason($0.variant, on: $0.problem) }.first
  }

  func note(for problem: ConvProblem) -> String? {
    "dw \(Self.depthwiseFamily), pw \(Self.pointwiseFamily); intermediate \(ByteCount(4 * problem.depthwisePart.outputCount))"
  }

  private func stages(_ problem: ConvProblem) -> [(variant: any KernelVariant, problem: ConvProblem)] {
    let dw = VariantRegistry.family(op: .dw, named: Self.depthwiseFamily)!
    let pw = VariantRegistry.family(op: .pw, named: Self.pointwiseFamily)!
    return [
      (dw.init(layout: layout, threads: dw.isThreaded ? threads : 1), problem.depthwisePart),
      (pw.init(layout: layout, threads: pw.isThreaded ? threads : 1), problem.pointwisePart),
    ]
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let (dw, pw) = (stages(problem)[0].variant, stages(problem)[1].variant)
    let dwKernel = dw.prepare(problem, OpParameters(weights: parameters.weights), pool: pool)
    let pwKernel = pw.prepare(problem, OpParameters(weights: parameters.pointwiseWeights!), pool: pool)
    return UnfusedSeparableKernel(
      problem: problem, layout: layout, threads: threads, pool: pool, depthwise: dwKernel,
      pointwise: pwKernel, depthwiseNorm: parameters.norm!, pointwiseNorm: parameters.pointwiseNorm!)
  }
}

/// dw -> BN+ReLU -> pw -> BN+ReLU through one intermediate buffer.
final class UnfusedSeparableKernel: PreparedKernel {
  let depthwise: any PreparedKernel
  let pointwise: any PreparedKernel
  let intermediate: AlignedBuffer
  let depthwiseScaleShift: (scale: AlignedBuffer, shift: AlignedBuffer)
  let pointwiseScaleShift: (scale: AlignedBuffer, shift: AlignedBuffer)
  let depthwisePass: ScaleShiftReLU
  let pointwisePass: ScaleShiftReLU
  let threads: Int
  let pool: WorkerPool

  init(
    problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool,
    depthwise: any PreparedKernel, pointwise: any PreparedKernel, depthwiseNorm: BatchNorm,
    pointwiseNorm: BatchNorm
  ) {
    self.depthwise = depthwise
    self.pointwise = pointwise
    self.threads = threads
    self.pool = pool
    intermediate = AlignedBuffer(count: problem.depthwisePart.outputCount)
    let dw = depthwiseNorm.scaleAndShift
    let pw = pointwiseNorm.scaleAndShift
    depthwiseScaleShift = (AlignedBuffer(dw.scale), AlignedBuffer(dw.shift))
    pointwiseScaleShift = (AlignedBuffer(pw.scale), AlignedBuffer(pw.shift))
    depthwisePass = ScaleShiftReLU(
      shape: problem.depthwisePart.outputShape(for: .dw), layout: layout,
      scale: depthwiseScaleShift.scale.pointer, shift: depthwiseScaleShift.shift.pointer)
    pointwisePass = ScaleShiftReLU(
      shape: problem.pointwisePart.outputShape(for: .pw), layout: layout,
      scale: pointwiseScaleShift.scale.pointer, shift: pointwiseScaleShift.shift.pointer)
  }

  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    depthwise.run(src, intermediate.pointer)
    depthwisePass.apply(intermediate.pointer, threads: threads, pool: pool)
    pointwise.run(intermediate.pointer, dst)
    pointwisePass.apply(dst, threads: threads, pool: pool)
  }
}
