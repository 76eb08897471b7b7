import ConvKernels
import KernelCatalog
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

  /// A prepared kernel runs many times in a benchmark: its second call, on other data, must be
  /// as right as its first (no scratch state left stale).
  @Test(arguments: Op.allCases)
  func preparedKernelStaysCorrectOnItsSecondCallWithNewInput(op: Op) throws {
    let problems = [
      try ConvProblem(descriptor: "n2c13h9w7o21k3s2p1"),
      try ConvProblem(descriptor: "c24h7o40k3s1p1"),
    ]
    for problem in problems {
      let first = ReferenceCase(op: op, problem: problem, seed: 1)
      let part = problem.part(for: op)
      let secondInput = Tensor.random(shape: part.inputShape(for: op), layout: .nchw, seed: 99)
      let expected = Reference.run(
        op: op, problem: problem, parameters: first.parameters, input: secondInput.values)
      for variant in Self.variants.filter({ type(of: $0).op == op })
      where VariantRegistry.skipReason(variant, on: part) == nil {
        let kernel = variant.prepare(
          problem, first.parameters, pool: .with(threads: variant.threads))
        #expect(first.check(kernel, layout: variant.layout).passed, "\(variant.id) first call")
        let src = secondInput.converted(to: variant.layout)
        let dst = Tensor(shape: part.outputShape(for: op), layout: variant.layout, value: .nan)
        kernel.run(src.pointer, dst.pointer)
        let got = dst.converted(to: .nchw).values
        #expect(got.allSatisfy { $0.isFinite }, "\(variant.id) left outputs unwritten")
        let worst = zip(got, expected).map { abs(Double($0) - $1) }.max() ?? .nan
        #expect(worst <= first.tolerance, "\(variant.id) second call on \(problem.descriptor)")
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
