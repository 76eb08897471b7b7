import ConvKernels

/// A variant that disagreed with the reference, with the command that reproduces it.
public struct ValidationFailure: Sendable, CustomStringConvertible {
  public let variantID: String
  public let family: String
  public let op: Op
  public let problem: ConvProblem
  public let seed: UInt64
  public let maxAbsError: Double
  public let tolerance: Double
  public let nonFiniteOutputs: Int

  public init(
    variant: any KernelVariant, op: Op, problem: ConvProblem, seed: UInt64, check: VariantCheck
  ) {
    variantID = variant.id
    family = type(of: variant).family
    self.op = op
    self.problem = problem
    self.seed = seed
    maxAbsError = check.maxAbsError
    tolerance = check.tolerance
    nonFiniteOutputs = check.nonFiniteOutputs
  }

  /// The command line that runs exactly this check again.
  public var reproducer: String {
    "sepbench validate --shape \(problem.descriptor) --ops \(op.rawValue) --variants \(family) --seed \(seed)"
  }

  public var description: String {
    var what = "max error \(maxAbsError) > tolerance \(tolerance)"
    if nonFiniteOutputs > 0 {
      what = "\(nonFiniteOutputs) outputs not finite (unwritten?); " + what
    }
    return "\(variantID) on \(problem.descriptor): \(what); reproduce: \(reproducer)"
  }
}
