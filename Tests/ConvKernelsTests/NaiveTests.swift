import ConvKernels
import KernelCatalog
import Testing

/// Every naive variant against the reference on the validation problems, in both layouts.
@Suite struct NaiveTests {
  static let problems =
    ValidationProblems.blockShapes(count: 30, seed: 20_240_601) + ValidationProblems.fixedShapes

  @Test func everyOperatorHasANaiveVariantInBothLayouts() {
    for op in Op.allCases {
      let family = VariantRegistry.family(op: op, named: "naive")
      #expect(family?.layouts == Set(Layout.allCases), "\(op.rawValue)")
    }
  }

  @Test(arguments: Op.allCases)
  func naiveVariantMatchesTheReference(op: Op) throws {
    let families = VariantRegistry.families(for: op).filter { $0.family == "naive" }
    let variants = VariantRegistry.variants(of: families, layouts: Layout.allCases, threads: [1])
    #expect(variants.count == 2)
    for (index, problem) in Self.problems.enumerated() {
      let fixture = ReferenceCase(op: op, problem: problem, seed: UInt64(index))
      for variant in variants {
        #expect(VariantRegistry.skipReason(variant, on: problem.part(for: op)) == nil)
        let check = fixture.check(variant)
        #expect(check.nonFiniteOutputs == 0, "\(variant.id) \(problem.descriptor)")
        #expect(check.maxAbsError <= check.tolerance, "\(variant.id) \(problem.descriptor)")
      }
    }
  }

  @Test func aWrongOutputFailsTheCheck() throws {
    // The check itself must catch errors and unwritten outputs.
    let problem = ValidationProblems.fixedShapes[1]
    let fixture = ReferenceCase(op: .conv, problem: problem, seed: 3)
    let part = problem.part(for: .conv)
    var values = fixture.expected.map(Float.init)
    let exact = fixture.compare(
      Tensor(shape: part.outputShape(for: .conv), layout: .nchw, values: values))
    #expect(exact.passed)
    values[4] += 0.5
    let wrong = fixture.compare(
      Tensor(shape: part.outputShape(for: .conv), layout: .nchw, values: values))
    #expect(!wrong.passed && wrong.worstIndex == 4)
    values[4] = .nan
    let unwritten = fixture.compare(
      Tensor(shape: part.outputShape(for: .conv), layout: .nchw, values: values))
    #expect(unwritten.nonFiniteOutputs == 1 && !unwritten.passed)
  }
}
