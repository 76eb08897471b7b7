import ConvKernels
import KernelCatalog

/// The outcome of checking one variant on many problems.
public struct VariantValidation: Sendable {
  public let variantID: String
  /// Problems the variant ran on.
  public var checked = 0
  /// Problems the variant cannot run (unsupported shape, missing CPU feature), with a reason.
  public var skipped: [(problem: ConvProblem, reason: String)] = []
  /// Largest error / tolerance over the checked problems (1 is the limit).
  public var worstErrorRatio = 0.0
  /// Largest absolute error over the checked problems.
  public var worstError = 0.0
  /// Largest absolute error / max |reference| over the checked problems.
  public var worstRelativeError = 0.0
  /// Every failed check, with its reproducer.
  public var failures: [ValidationFailure] = []

  public var passed: Bool { failures.isEmpty }

  /// The reason every problem was skipped for, when one reason (such as a CPU feature this
  /// machine lacks) skipped them all; nil otherwise.
  public var commonSkipReason: String? {
    let reasons = Set(skipped.map(\.reason))
    return reasons.count == 1 ? reasons.first : nil
  }
}

/// `sepbench validate`: every selected variant against the reference on many problems.
public struct Validation: Sendable {
  public var problems: [ConvProblem]
  public var ops: [Op]
  public var families: [String]?
  public var layouts: [Layout]
  public var threads: [Int]
  public var seed: UInt64
  /// Instruction-set levels to include; nil for all.
  public var isas: [ISA]?

  public init(
    problems: [ConvProblem], ops: [Op] = Op.allCases, families: [String]? = nil,
    layouts: [Layout] = Layout.allCases, threads: [Int] = [1, 2], seed: UInt64 = 7
  ) {
    self.problems = problems
    self.ops = ops
    self.families = families
    self.layouts = layouts
    self.threads = threads
    self.seed = seed
  }

  /// The standard problem set: `fixedShapes` plus `count` random shapes from `seed`.
  public static func standardProblems(quick: Bool, seed: UInt64) -> [ConvProblem] {
    ValidationProblems.fixedShapes
      + ValidationProblems.blockShapes(count: quick ? 12 : 48, seed: seed)
  }

  /// Checks every variant on every problem; `variantDone` gets each variant's outcome as soon
  /// as all its problems are checked (variants of one operator finish together).
  public func run(variantDone: (VariantValidation) -> Void = { _ in }) -> [VariantValidation] {
    var outcomes: [VariantValidation] = []
    for op in ops {
      var plan = RunPlan(
        suite: .adHoc([]), ops: [op], families: families, layouts: layouts, threads: threads)
      plan.isas = isas
      let results = check(plan.variants(for: op), op: op)
      results.forEach(variantDone)
      outcomes += results
    }
    return outcomes
  }

  /// Checks `variants` (all computing `op`) on every problem.
  public func check(_ variants: [any KernelVariant], op: Op) -> [VariantValidation] {
    guard !variants.isEmpty else { return [] }
    var results = variants.map { VariantValidation(variantID: $0.id) }
    for (index, problem) in problems.enumerated() {
      let reference = ReferenceCase(op: op, problem: problem, seed: seed &+ UInt64(index))
      for (v, variant) in variants.enumerated() {
        if let reason = VariantRegistry.skipReason(variant, on: problem.part(for: op)) {
          results[v].skipped.append((problem, reason))
          continue
        }
        let check = reference.check(variant)
        results[v].checked += 1
        results[v].worstError = max(results[v].worstError, check.maxAbsError)
        results[v].worstRelativeError = max(
          results[v].worstRelativeError, check.maxAbsError / check.magnitude)
        results[v].worstErrorRatio = max(
          results[v].worstErrorRatio, check.maxAbsError / check.tolerance)
        if !check.passed {
          results[v].failures.append(
            ValidationFailure(
              variant: variant, op: op, problem: problem, seed: reference.seed, check: check))
        }
      }
    }
    return results
  }
}
