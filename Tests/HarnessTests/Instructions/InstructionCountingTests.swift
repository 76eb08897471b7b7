import ConvKernels
import Foundation
import Harness
import KernelCatalog
import Testing

/// A fake counter that runs the kernel and answers 101, 102, … in call order, so a test can
/// tell that every validated kernel was counted once, in order.
private final class SequenceCounter: InstructionCounting, @unchecked Sendable {
  let source = "fake"
  private(set) var calls = 0
  let fails: Bool

  init(fails: Bool = false) { self.fails = fails }

  func count(_ kernel: TimedKernel) throws(InstructionCountError) -> Double {
    calls += 1
    if fails { throw InstructionCountError("no counter in this test") }
    kernel.run(iterations: 1)
    return Double(100 + calls)
  }
}

@Suite struct InstructionCountingTests {
  @Test func everyValidatedKernelIsCountedOnceInsteadOfTimed() {
    var plan = RunnerTests.plan()
    plan.metric = .instructions
    let counter = SequenceCounter()
    let (results, completed) = Runner(plan: plan, instructionCounting: counter).run()
    #expect(completed)
    #expect(results.count == 8)
    #expect(counter.calls == 8)
    for row in results {
      #expect(row.status == .ok, "\(row.variantID) \(row.note)")
      #expect(row.samples.isEmpty, "no timed samples")
      #expect(row.instructionSource == "fake")
    }
    #expect(results.compactMap(\.instructions) == (101...108).map(Double.init))
  }

  @Test func aCountThatFailsMarksTheRowWithTheReason() {
    var plan = RunnerTests.plan(ops: [.dw])
    plan.metric = .instructions
    let (results, _) = Runner(plan: plan, instructionCounting: SequenceCounter(fails: true)).run()
    #expect(results.count == 4)
    for row in results {
      #expect(row.status == .failed)
      #expect(row.note == "instructions not counted: no counter in this test")
      #expect(row.instructions == nil)
    }
  }

  @Test func theTotalOfACallgrindProfileIsItsTotalsLine() {
    let profile = """
      # callgrind format
      version: 1
      creator: callgrind-3.19.0
      events: Ir
      summary: 24071
      fn=(1) sepbench_callgrind_counted_call
      0 17

      totals: 24071
      """
    #expect(CallgrindCounting.totalInstructions(profile) == 24071)
    #expect(CallgrindCounting.totalInstructions("events: Ir\nsummary: 512\n") == 512)
    #expect(CallgrindCounting.totalInstructions("events: Ir\nfn=(1) f\n0 3\n") == nil)
  }

  @Test func outsideCallgrindTheCountSaysWhyNothingWasCounted() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("sepbench-cg-\(UUID().uuidString)")
    let counting = CallgrindCounting(outputFile: folder.appendingPathComponent("out").path)
    let problem = try ConvProblem(descriptor: "c2h4o2k3s1p1")
    let variant = VariantRegistry.variants(
      of: VariantRegistry.families(for: .dw).filter { $0.family == "naive" }, layouts: [.nchw],
      threads: [1])[0]
    let kernel = variant.prepare(
      problem, ReferenceCase(op: .dw, problem: problem, seed: 1).parameters,
      pool: WorkerPool.with(threads: 1))
    let src = Tensor(shape: problem.inputShape(for: .dw), layout: .nchw)
    let dst = Tensor(shape: problem.outputShape(for: .dw), layout: .nchw)
    #expect(throws: InstructionCountError.self) {
      try counting.count(TimedKernel(kernel: kernel, src: src, dst: dst))
    }
  }
}
