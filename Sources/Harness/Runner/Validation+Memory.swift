import ConvKernels

extension Validation {
  /// A generous estimate of the memory checking `problem` needs: one operator and one
  /// variant at a time, in one layout at a time.
  public func estimatedBytes(for problem: ConvProblem) -> Int {
    MemoryEstimate.saturated(
      ops.map { MemoryEstimate.bytes(op: $0, problem: problem, layouts: 1, variants: 1) }.max()
        ?? 0)
  }

  /// Checks every problem against the memory budget of `limits` (see
  /// `RunPlan.checkMemory(limits:)`).
  /// - Throws: `ProblemError.tooLarge` naming the first problem over the budget.
  public func checkMemory(limits: MemoryLimits = .current()) throws {
    let budget = limits.budget
    for problem in problems {
      let bytes = estimatedBytes(for: problem)
      if bytes > budget.bytes {
        throw ProblemError.tooLarge(
          what: "shape \(problem.descriptor)", bytes: bytes, limit: budget.bytes,
          limitedBy: budget.limitedBy)
      }
    }
  }
}
