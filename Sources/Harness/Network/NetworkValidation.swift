import ConvKernels

/// The end-to-end check of a compiled network against the Double reference network on the
/// same weights and input.
///
/// Tolerance, derived as for a single operator (`ReferenceCase.tolerance`): a stage whose
/// output sums L products may add `4 u L g` times its output's magnitude to the error of its
/// input (u = `Float.ulpOfOne`, 2^-23, as in `ReferenceCase`; g the family's `errorGrowth`).
/// The error already in the input is passed on, to first order, at its own relative size: the
/// weights are scaled by 1/sqrt(fan-in) and BN keeps each channel near unit scale, so a stage
/// maps inputs of magnitude ~1 to outputs of magnitude ~1. So stage k may be off by
/// `(e_(k-1) + 4 u L_k g_k)` times its magnitude `max(1, max |reference|)`, where e_(k-1) is
/// the relative error *measured* at the stage before (0 for the image). Carrying the measured
/// error, not the sum of the earlier bounds, keeps every bound close to one stage's own: the
/// sum of Winograd's bounds (growth 256) would exceed the activations themselves by the last
/// blocks, and an all-zero output would pass. Every stage's output is checked, so the first
/// stage that breaks its bound is named, and the logits are checked last.
public struct NetworkValidation: Sendable {
  /// One stage's outcome.
  public struct StageCheck: Sendable, Codable {
    public let stage: String
    public let variantID: String
    /// Largest |network - reference| over the stage's outputs.
    public let maxAbsError: Double
    /// `max(1, max |reference|)`.
    public let magnitude: Double
    /// The allowed error after this stage.
    public let tolerance: Double
    /// Outputs that are NaN or infinite (never written, or overflowed).
    public let nonFiniteOutputs: Int

    public var passed: Bool { nonFiniteOutputs == 0 && maxAbsError <= tolerance }
  }

  public let stages: [StageCheck]

  /// The first stage that broke its bound, or nil.
  public var firstFailure: StageCheck? { stages.first { !$0.passed } }
  public var passed: Bool { firstFailure == nil }
  /// The logits' check.
  public var logits: StageCheck { stages[stages.count - 1] }

  /// Runs `network` once, stage by stage, against `reference` (the output of every stage of
  /// `NetworkReference.forward`, without the reorder stage).
  public init(_ network: CompiledNetwork, reference: [[Double]]) {
    let unitRoundoff = Double(Float.ulpOfOne)
    var carried = 0.0
    var checks: [StageCheck] = []
    var next = 0
    network.forward { index, output in
      let stage = network.stages[index]
      let growth =
        network.plan.choices[stage.spec.name].map { type(of: $0.variant).errorGrowth } ?? 1
      let own = 4 * unitRoundoff * Double(stage.spec.accumulationLength) * growth
      // The reorder copies exactly and is compared with nothing: its input's error carries on.
      if stage.spec.kind == .reorder { return }
      let expected = reference[next]
      next += 1
      let got = output.converted(to: .nchw).values
      var maxError = 0.0
      var nonFinite = 0
      var magnitude = 1.0
      for (value, want) in zip(got, expected) {
        magnitude = max(magnitude, abs(want))
        guard value.isFinite else {
          nonFinite += 1
          continue
        }
        maxError = max(maxError, abs(Double(value) - want))
      }
      checks.append(
        StageCheck(
          stage: stage.spec.name, variantID: stage.variantID, maxAbsError: maxError,
          magnitude: magnitude, tolerance: (carried + own) * magnitude,
          nonFiniteOutputs: nonFinite))
      carried = nonFinite > 0 ? .infinity : maxError / magnitude
    }
    stages = checks
  }

  /// One line about the first failure: the stage, its kernel, the error and the bound.
  public var failureText: String? {
    guard let f = firstFailure else { return nil }
    return
      "stage \(f.stage) (\(f.variantID)) is wrong: max error \(f.maxAbsError) > allowed \(f.tolerance)"
      + (f.nonFiniteOutputs > 0 ? ", \(f.nonFiniteOutputs) outputs not finite" : "")
  }
}
