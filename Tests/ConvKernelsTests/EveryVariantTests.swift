import ConvKernels
import Testing

/// Every registered variant, with no per-family wiring: correct on the validation problems,
/// and bitwise the same on two threads as on one.
@Suite struct EveryVariantTests {
  static let problems =
    ValidationProblems.fixedShapes + ValidationProblems.blockShapes(count: 24, seed: 11)

  static var variants: [any KernelVariant] {
    VariantRegistry.variants(of: VariantRegistry.families, layouts: Layout.allCases, threads: [1])
  }

  @Test(arguments: Op.allCases)
  func everyVariantMatchesTheReference(op: Op) {
    let variants = Self.variants.filter { type(of: $0).op == op }
    #expect(!variants.isEmpty)
    for (index, problem) in Self.problems.enumerated() {
      let reference = ReferenceCase(op: op, problem: problem, seed: UInt64(index))
      for variant in variants
      where VariantRegistry.skipReason(variant, on: problem.part(for: op)) == nil {
        let check = reference.check(variant)
        #expect(check.nonFiniteOutputs == 0, "\(variant.id) on \(problem.descriptor)")
        #expect(check.maxAbsError <= check.tolerance, "\(variant.id) on \(problem.descriptor)")
      }
    }
  }

  @Test(arguments: Op.allCases)
  func twoThreadsMatchOneThreadBitwise(op: Op) {
    let families = VariantRegistry.families(for: op).filter { $0.isThreaded }
    for (index, problem) in Self.problems.enumerated() {
      let reference = ReferenceCase(op: op, problem: problem, seed: UInt64(index))
      for family in families {
        for layout in family.layouts.sorted() {
          let one = family.init(layout: layout, threads: 1)
          guard VariantRegistry.skipReason(one, on: problem.part(for: op)) == nil else { continue }
          let two = family.init(layout: layout, threads: 2)
          #expect(
            reference.check(one).outputs == reference.check(two).outputs,
            "\(two.id) on \(problem.descriptor)")
        }
      }
    }
  }

  @Test func everyFamilyHasASummaryAndAtLeastOneLayout() {
    for family in VariantRegistry.families {
      #expect(!family.summary.isEmpty, "\(family.family)")
      #expect(!family.layouts.isEmpty, "\(family.family)")
      #expect(family.family == family.family.lowercased() && !family.family.contains(" "))
    }
  }

  @Test func familyNamesAreUniquePerOperator() {
    for op in Op.allCases {
      let names = VariantRegistry.families(for: op).map { $0.family }
      #expect(Set(names).count == names.count, "\(op)")
    }
  }
}
