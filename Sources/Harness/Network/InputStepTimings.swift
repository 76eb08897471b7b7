import ConvKernels
import KernelCatalog

/// The two ways an NHWC network can take its NCHW image, timed alone on the stem's shape and
/// round-robin, so that machine drift does not decide between them: the reorder followed by
/// the stem's fastest NHWC kernel, and a stem kernel that reads the planes itself
/// (`PlanarInputStems`, one or more per ISA target).
public struct InputStepTimings: Sendable {
  /// One planar-input stem and its median time alone.
  public struct PlanarStem: Sendable {
    public let variant: any PlanarInputVariant
    /// Median time, in nanoseconds.
    public let nanoseconds: Double

    public init(_ variant: any PlanarInputVariant, nanoseconds: Double) {
      self.variant = variant
      self.nanoseconds = nanoseconds
    }
  }

  /// Median time of the input image's reorder, in nanoseconds.
  public let reorder: Double
  /// Median time of the fastest registered NHWC stem kernel, by thread count.
  public let nhwcStem: [Int: Double]
  /// The planar-input stems that ran here and passed their check, on each thread count.
  public let planarStems: [PlanarStem]
  /// Why some planar stems are not offered (a missing ISA, a failed check), or nil.
  public let note: String?

  public init(
    reorder: Double, nhwcStem: [Int: Double], planarStems: [PlanarStem], note: String? = nil
  ) {
    self.reorder = reorder
    self.nhwcStem = nhwcStem
    self.planarStems = planarStems
    self.note = note
  }

  /// Checks every candidate against the reference on `stem`'s problem (seeded like the
  /// tuning): every planar-input stem of every ISA and the registered NHWC families of the stem's
  /// operator (naive excluded), on each of `threads`. Then times those that pass and the
  /// reorder round-robin with `sampler`. A planar stem is left out on every thread count, with
  /// the reason in `note`, when its ISA is missing or one of its checks fails.
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
        planarStems: [], note: "the first stage is not a convolution block")
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

    // Each planar stem on every thread count, or on none of them, with the reason.
    typealias Candidate = (variant: any PlanarInputVariant, kernel: TimedKernel)
    func candidates(_ family: String) -> (candidates: [Candidate], note: String?) {
      var candidates: [Candidate] = []
      for t in threads {
        guard
          let variant = PlanarInputStems.variants(threads: t).first(where: {
            type(of: $0).family == family
          })
        else { break }
        if let reason = variant.unsupportedReason(problem) {
          return ([], "\(variant.id) \(reason)")
        }
        let kernel = variant.prepare(problem, reference.parameters, pool: .with(threads: t))
        let written = Tensor(shape: stem.outputShape, layout: .nhwc, value: .nan)
        kernel.run(reference.input.pointer, written.pointer)
        let check = reference.compare(written, errorGrowth: type(of: variant).errorGrowth)
        guard check.passed else {
          return (
            [],
            "\(variant.id) failed its check: max error \(check.maxAbsError), allowed \(check.tolerance), \(check.nonFiniteOutputs) outputs not finite"
          )
        }
        candidates.append(
          (variant, TimedKernel(kernel: kernel, src: reference.input, dst: written)))
      }
      return (candidates, nil)
    }
    let byStem = PlanarInputStems.variants(threads: 1).map { candidates(type(of: $0).family) }
    let planar = byStem.flatMap(\.candidates)
    let notes = byStem.compactMap(\.note)

    let medians = Self.medians(
      sampler.sampleRoundRobin([reorder] + nhwc.map(\.kernel) + planar.map(\.kernel)))
    var nhwcStem: [Int: Double] = [:]
    for (index, candidate) in nhwc.enumerated() {
      nhwcStem[candidate.threads] = min(
        nhwcStem[candidate.threads] ?? .infinity, medians[1 + index])
    }
    let planarStems = planar.enumerated().map { index, candidate in
      PlanarStem(candidate.variant, nanoseconds: medians[1 + nhwc.count + index])
    }
    return InputStepTimings(
      reorder: medians[0], nhwcStem: nhwcStem, planarStems: planarStems,
      note: notes.isEmpty ? nil : notes.joined(separator: "; "))
  }

  private static func medians(_ timings: [Timing]) -> [Double] {
    timings.map { SampleStatistics($0.samples).median }
  }
}
