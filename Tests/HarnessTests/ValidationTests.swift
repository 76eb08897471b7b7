import ConvKernels
import Harness
import Testing

@Suite struct ValidationTests {
  let validation = Validation(problems: Validation.standardProblems(quick: true, seed: 3), seed: 3)

  @Test func everyNaiveVariantPasses() {
    let outcomes = Validation(
      problems: validation.problems, families: ["naive"], threads: [1], seed: 3
    ).run()
    #expect(outcomes.count == Op.allCases.count * 2)
    for outcome in outcomes {
      #expect(outcome.passed, "\(outcome.variantID): \(outcome.failures.first?.description ?? "")")
      #expect(outcome.checked == validation.problems.count)
    }
  }

  @Test func wrongOutputFailsAndNamesAReproducer() throws {
    let outcome = validation.check([BrokenDepthwise(layout: .nchw, threads: 1)], op: .dw)[0]
    #expect(!outcome.passed)
    let failure = try #require(outcome.failures.first)
    #expect(failure.maxAbsError > failure.tolerance)
    #expect(failure.reproducer.hasPrefix("sepbench validate --shape n"))
    #expect(failure.reproducer.hasSuffix("--ops dw --variants broken --seed \(failure.seed)"))
  }

  @Test func unwrittenOutputIsCaughtEvenThoughMaxWouldHideIt() throws {
    var broken = BrokenDepthwise(layout: .nchw, threads: 1)
    broken.fault = .skipsLastOutput
    let problem = try ConvProblem(descriptor: "c3h5o3k3p1")
    let check = ReferenceCase(op: .dw, problem: problem, seed: 1).check(broken)
    #expect(check.nonFiniteOutputs == 1)
    #expect(!check.passed)
  }

  @Test func oneULPDifferenceIsWithinTolerance() throws {
    var broken = BrokenDepthwise(layout: .nchw, threads: 1)
    broken.fault = .offByOneULP
    let problem = try ConvProblem(descriptor: "c3h5o3k3p1")
    #expect(ReferenceCase(op: .dw, problem: problem, seed: 1).check(broken).passed)
  }
}
