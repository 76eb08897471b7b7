import ConvKernels
import KernelCatalog

/// The two ways an NHWC network can take its NCHW image, timed alone on the stem's shape and
/// round-robin, so that machine drift does not decide between them: the reorder followed by
/// the stem's fastest NHWC kernel, and the stem kernel that reads the planes itself
/// (`PlanarInputStem`).
public struct InputStepTimings: Sendable {
  /// Median time of the input image's reorder, in nanoseconds.
  public let reorder: Double
  /// Median time of the fastest registered NHWC stem kernel, by thread count.
  public let nhwcStem: [Int: Double]
  /// Median time of `PlanarInputStem` on the stem's shape, by thread count. Empty where it
  /// cannot run here or failed its check (`note` says which).
  public let planarStem: [Int: Double]
  /// Why the planar stem is not offered, or nil.
  public let note: String?

  public init(
    reorder: Double, nhwcStem: [Int: Double], planarStem: [Int: Double], note: String? = nil
  ) {
    self.reorder = reorder
    self.nhwcStem = nhwcStem
    self.planarStem = planarStem
    self.note = note
  }

  /// Checks every candidate against the reference on `stem`'s problem (seeded like the
  /// tuning): `PlanarInputStem` and the registered NHWC families of the stem's operator
  /// (naive excluded), on each of `threads`. Then times those that pass and the reorder
  /// round-robin with `sampler`. The planar stem is left out, with the reason in `note`, when
  /// its ISA is missing or its check fails.
  public static func measure(stem: NetworkStage, threads: [Int], seed: UInt64, sampler: Sampler)
    -> InputStepTimings
  {
    let image = Tensor.random(shape: stem.inputShape, layout: .nchw, seed: seed)
    let reorder = TimedKernel(
      kernel: ReorderKernel(shape: stem.inputShape), src: image,
      dst: Tensor(shape: stem.inputShape, layout: .nhwc))
    guard let problem = stem.problem, let op = stem.op, stem.kind == .convBlock else {
      return InputStepTimings(
        reorder: Self.medians(sampler.sampleRoundRobin([reorder]))[0], nhwcStem: [:],
        planarStem: [:], note: "the first stage is not a convolution block")
    }
    let reference = ReferenceCase(op: op, problem: problem, seed: seed)
    let output = { Tensor(shape: stem.outputShape, layout: .nhwc) }

    // The registered NHWC families that pass their check, by thread count.
    let nhwcInput = reference.input.converted(to: .nhwc)
    let families = VariantRegistry.families(for: op).filter {
      !NetworkTuning.excludedFamilies.contains($0.family)
    }
    var nhwc: [(threads: Int, kernel: TimedKernel)] = []
    for variant in VariantRegistry.variants(of: families, layouts: [.nhwc], threads: threads)
    where VariantRegistry.skipReason(variant, on: problem.part(for: op)) == nil {
      let kernel = variant.prepare(
        problem, reference.parameters, pool: .with(threads: variant.threads))
      guard
        reference.check(kernel, layout: .nhwc, errorGrowth: type(of: variant).errorGrowth).passed
      else { continue }
      nhwc.append((variant.threads, TimedKernel(kernel: kernel, src: nhwcInput, dst: output())))
    }

    // The planar stem on every thread count, or none of them, with the reason.
    var planar: [(threads: Int, kernel: TimedKernel)] = []
    var note: String?
    for t in threads {
      let variant = PlanarInputStem(layout: .nhwc, threads: t)
      if let reason = variant.unsupportedReason(problem) {
        note = "\(variant.id) \(reason)"
        break
      }
      let kernel = variant.prepare(problem, reference.parameters, pool: .with(threads: t))
      let written = Tensor(shape: stem.outputShape, layout: .nhwc, value: .nan)
      kernel.run(reference.input.pointer, written.pointer)
      let check = reference.compare(written, errorGrowth: PlanarInputStem.errorGrowth)
      guard check.passed else {
        note =
          "\(variant.id) failed its check: max error \(check.maxAbsError), allowed \(check.tolerance), \(check.nonFiniteOutputs) outputs not finite"
        break
      }
      planar.append((t, TimedKernel(kernel: kernel, src: reference.input, dst: written)))
    }
    if note != nil { planar = [] }

    let medians = Self.medians(
      sampler.sampleRoundRobin([reorder] + nhwc.map(\.kernel) + planar.map(\.kernel)))
    var nhwcStem: [Int: Double] = [:]
    for (index, candidate) in nhwc.enumerated() {
      nhwcStem[candidate.threads] = min(
        nhwcStem[candidate.threads] ?? .infinity, medians[1 + index])
    }
    var planarStem: [Int: Double] = [:]
    for (index, candidate) in planar.enumerated() {
      planarStem[candidate.threads] = medians[1 + nhwc.count + index]
    }
    return InputStepTimings(
      reorder: medians[0], nhwcStem: nhwcStem, planarStem: planarStem, note: note)
  }

  private static func medians(_ timings: [Timing]) -> [Double] {
    timings.map { SampleStatistics($0.samples).median }
  }
}
