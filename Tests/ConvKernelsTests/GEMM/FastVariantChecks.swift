import ConvKernels
import KernelCatalog
import TestSupport
import Testing

/// Shared checks for the GEMM-based families: every variant against the reference on the
/// validation shapes, and two threads against one thread bit for bit.
enum FastVariantChecks {
  /// The registered family `family` of `op`, as a variant.
  static func variant(_ op: Op, _ family: String, _ layout: Layout, threads: Int = 1)
    -> any KernelVariant
  {
    guard let type = VariantRegistry.family(op: op, named: family) else {
      Issue.record("\(op.rawValue).\(family) is not registered")
      return VariantRegistry.families(for: op)[0].init(layout: layout, threads: threads)
    }
    return type.init(layout: layout, threads: threads)
  }

  /// 40 random block shapes plus the fixed ones.
  static func shapes(seed: UInt64) -> [ConvProblem] {
    ValidationProblems.blockShapes(count: 40, seed: seed) + ValidationProblems.fixedShapes
  }

  /// Runs `variant` on every shape it supports; expects all outputs written and within
  /// tolerance. Returns how many shapes ran (so a test can insist that some did).
  @discardableResult
  static func matchesReference(
    _ op: Op, _ variant: any KernelVariant, on problems: [ConvProblem], seed: UInt64 = 7
  ) -> Int {
    var ran = 0
    for problem in problems {
      if VariantRegistry.skipReason(variant, on: problem.part(for: op)) != nil { continue }
      let check = KernelTester(op, problem, seed: seed).run(variant)
      #expect(check.nonFiniteOutputs == 0, "\(variant.id) \(problem.descriptor): unwritten outputs")
      #expect(
        check.maxAbsError <= check.tolerance,
        "\(variant.id) \(problem.descriptor): error \(check.maxAbsError) > \(check.tolerance) at \(check.worstIndex)"
      )
      ran += 1
    }
    return ran
  }

  /// Expects the 2-thread variant to give exactly the 1-thread output.
  static func twoThreadsMatchOneThread(
    _ op: Op, _ family: String, _ layout: Layout, on problems: [ConvProblem]
  ) {
    for problem in problems {
      let one = variant(op, family, layout, threads: 1)
      if VariantRegistry.skipReason(one, on: problem.part(for: op)) != nil { continue }
      let fixture = ReferenceCase(op: op, problem: problem, seed: 11)
      let single = fixture.check(one).outputs
      let double = fixture.check(variant(op, family, layout, threads: 2)).outputs
      let same = zip(single, double).allSatisfy { $0.bitPattern == $1.bitPattern }
      #expect(same, "\(op.rawValue).\(family).\(layout.rawValue) \(problem.descriptor): t2 != t1")
    }
  }
}
