import ConvKernels

/// The end-to-end check of a compiled network against the Double reference network on the
/// same weights and input.
///
/// Tolerance, derived as for a single operator (`ReferenceCase.tolerance`): a stage whose
/// output sums L products may be off by `4 u L` times its output's magnitude (u = Float's
/// unit roundoff, times the family's `errorGrowth`). An error already in a stage's input is
/// passed on, to first order, at its own relative size: the weights are scaled by
/// 1/sqrt(fan-in) and BN keeps each channel near unit scale, so a stage maps inputs of
/// magnitude ~1 to outputs of magnitude ~1. So after stage k the allowed error is
/// `sum over stages j <= k of 4 u L_j g_j`, times the stage's magnitude
/// `max(1, max |reference|)`. Every stage's output is checked against this bound, so the first
/// stage that breaks it is named, and the logits are checked last.
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
    var allowedRelative = 0.0
    var checks: [StageCheck] = []
    var next = 0
    network.forward { index, output in
      let stage = network.stages[index]
      let growth =
        network.plan.choices[stage.spec.name].map { type(of: $0.variant).errorGrowth } ?? 1
      allowedRelative += 4 * unitRoundoff * Double(stage.spec.accumulationLength) * growth
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
          magnitude: magnitude, tolerance: allowedRelative * magnitude,
          nonFiniteOutputs: nonFinite))
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
