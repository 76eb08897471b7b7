import ConvKernels
import Harness
import Testing

/// A depthwise kernel with a deliberate bug, to prove validation catches it.
private struct BrokenDepthwise: KernelVariant {
  enum Fault: Sendable { case offByOneULP, skipsLastOutput, wrongTap }
  static let op = Op.dw
  static let family = "broken"
  static let layouts: Set<Layout> = [.nchw]
  static let summary = "test double"
  let layout: Layout
  let threads: Int
  var fault = Fault.wrongTap

  init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let naive = VariantRegistry.family(op: .dw, named: "naive")!.init(layout: layout, threads: 1)
    return Kernel(
      inner: naive.prepare(problem, parameters, pool: pool),
      count: problem.part(for: .dw).outputCount,
      fault: fault)
  }

  final class Kernel: PreparedKernel {
    let inner: any PreparedKernel
    let count: Int
    let fault: Fault
    init(inner: any PreparedKernel, count: Int, fault: Fault) {
      self.inner = inner
      self.count = count
      self.fault = fault
    }
    func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
      let last = dst[count - 1]
      inner.run(src, dst)
      switch fault {
      case .offByOneULP: dst[0] = dst[0].nextUp
      case .skipsLastOutput: dst[count - 1] = last
      case .wrongTap: dst[count / 2] += 0.01
      }
    }
  }
}

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
