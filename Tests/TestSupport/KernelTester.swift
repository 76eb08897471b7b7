import ConvKernels

/// Checks one variant against the reference on one problem, the way kernel tests do.
public struct KernelTester {
  public let referenceCase: ReferenceCase

  /// Fixture for `op` on the block shape `problem` with data from `seed`.
  public init(_ op: Op, _ problem: ConvProblem, seed: UInt64 = 7) {
    referenceCase = ReferenceCase(op: op, problem: problem, seed: seed)
  }

  /// Runs and compares `variant`.
  public func run(_ variant: any KernelVariant) -> VariantCheck {
    referenceCase.check(variant)
  }
}
