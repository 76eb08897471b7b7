import ConvKernels
import Harness
import KernelCatalog
import Testing

@Suite struct RunnerTests {
  static let tinySuite = Suite(
    name: "tiny", summary: "two shapes",
    cases: [
      SuiteCase(name: "a", problem: try! ConvProblem(descriptor: "c4h5o6k3s1p1")),
      SuiteCase(name: "b", problem: try! ConvProblem(descriptor: "c3h7w5o2k3s2p1")),
    ])

  static func plan(ops: [Op] = [.dw, .pw]) -> RunPlan {
    RunPlan(
      suite: tinySuite, ops: ops, families: ["naive"], layouts: [.nchw, .nhwc], threads: [1],
      minSampleNanoseconds: 100_000, repetitions: 3, caseBudgetNanoseconds: 50_000_000)
  }

  @Test func everySelectedVariantGetsOneValidatedAndTimedRow() {
    let plan = Self.plan()
    let (results, completed) = Runner(plan: plan).run()
    #expect(completed)
    #expect(results.count == plan.caseCount)
    #expect(results.count == 2 * 2 * 2)  // cases x ops x layouts
    for row in results {
      #expect(row.status == .ok, "\(row.variantID) \(row.note)")
      #expect(row.samples.count == 3)
      #expect(row.iterations >= 1)
      #expect((row.maxAbsError ?? 1) <= 1e-5)
    }
  }

  @Test func opsRunTheirOwnPartOfTheBlockShape() {
    let (results, _) = Runner(plan: Self.plan()).run()
    let pw = results.first { $0.caseName == "b" && $0.op == .pw }!
    // block c3h7w5 s2 p1: dw output is 4x3, the pointwise part runs on it
    #expect(pw.problem.height == 4 && pw.problem.width == 3)
    #expect(pw.cost.macs == 3 * 2 * 4 * 3)
  }

  @Test func stoppingAfterTheFirstCaseKeepsOnlyFinishedCases() {
    var finished = 0
    let (results, completed) = Runner(plan: Self.plan()).run(
      caseDone: { _ in finished += 1 }, shouldStop: { finished >= 1 })
    #expect(!completed)
    #expect(Set(results.map(\.caseName)) == ["a"])
    #expect(results.count == 4)
  }

  /// Each case's rows get the steal share of the readings taken around its samples: here
  /// case a saw 30 of 200 ticks stolen, case b 0 of 100.
  @Test func eachCaseRecordsTheStealOfItsOwnSamples() {
    let readings = [
      CPUTimeSample(busy: 1_000, idle: 500, steal: 20),
      CPUTimeSample(busy: 1_120, idle: 550, steal: 50),
      CPUTimeSample(busy: 1_200, idle: 600, steal: 50),
      CPUTimeSample(busy: 1_260, idle: 640, steal: 50),
    ]
    var next = 0
    var runner = Runner(plan: Self.plan(ops: [.dw]))
    runner.readCPUTime = {
      defer { next += 1 }
      return readings[next]
    }
    let (results, _) = runner.run()
    #expect(next == 4)
    #expect(results.filter { $0.caseName == "a" }.map(\.stealPercent) == [15, 15])
    #expect(results.filter { $0.caseName == "b" }.map(\.stealPercent) == [0, 0])
  }

  @Test func variantMissingALayoutIsNotListed() {
    let plan = RunPlan(suite: Self.tinySuite, ops: [.dw], families: ["naive"], layouts: [.nhwc])
    #expect(plan.variants(for: .dw).map(\.layout) == [.nhwc])
  }

  @Test func hugeShapeIsRejectedAsTooLarge() throws {
    let huge = Suite.adHoc([try ConvProblem(descriptor: "c4096h4096o4096k3")])
    let plan = RunPlan(suite: huge, ops: [.conv])
    #expect(throws: ProblemError.self) {
      try plan.checkMemory(limits: MemoryLimits(physicalBytes: 2 << 30))
    }
  }

  @Test func variantFailingTheRandomPreflightIsNeverTimed() {
    let plan = Self.plan(ops: [.dw])
    let runner = Runner(
      plan: plan,
      variants: { _ in [BrokenDepthwise(layout: .nchw, threads: 1), DepthwiseNaiveNCHW.make()] })
    #expect(runner.preflight().keys.sorted() == ["dw.broken.nchw"])
    let (results, completed) = runner.run()
    #expect(completed)
    let broken = results.filter { $0.family == "broken" }
    #expect(broken.count == 2)
    for row in broken {
      #expect(row.status == .failed)
      #expect(row.samples.isEmpty)
      #expect(row.note.contains("failed validation on a random problem"))
      #expect(row.note.contains("sepbench validate --shape"))
    }
    #expect(results.filter { $0.family == "naive" }.allSatisfy { $0.status == .ok })
  }
}

/// The registered naive depthwise variant in NCHW.
enum DepthwiseNaiveNCHW {
  static func make() -> any KernelVariant {
    VariantRegistry.family(op: .dw, named: "naive")!.init(layout: .nchw, threads: 1)
  }
}

@Suite struct RunnerPeakProbeTests {
  static func plan() -> RunPlan {
    var plan = RunPlan(
      suite: RunnerTests.tinySuite, ops: [.dw], families: ["naive", "simd8"],
      layouts: [.nchw, .nhwc],
      threads: [1, 2], minSampleNanoseconds: 100_000, repetitions: 3,
      caseBudgetNanoseconds: 50_000_000)
    plan.fixedThreads = true
    return plan
  }

  /// The probe is asked for once per ISA and thread count in each case, on a pool of that many
  /// threads; every timed row gets its paired peak. Generic and AVX2 rows on one thread run
  /// the same 8-wide loop, so they share one probe: the same peak, from the same samples.
  @Test func eachCaseTimesOneProbePerLoopAndThreadCount() throws {
    try #require(PeakProbe.matching(isa: .generic, pool: .with(threads: 1)) != nil)
    var asked: [String] = []
    var runner = Runner(plan: Self.plan())
    runner.peakProbe = { isa, pool in
      asked.append("\(isa.rawValue)/\(pool.threadCount)")
      return PeakProbe.matching(isa: isa, pool: pool)
    }
    let (results, _) = runner.run()
    // naive: one thread, generic; simd8: one and two threads, AVX2. Two layouts each.
    let timed = results.filter { $0.status == .ok }
    let keys = Set(timed.map { "\($0.isa.rawValue)/\($0.threads)" })
    #expect(keys == (ISA.avx2.isSupported ? ["generic/1", "avx2/1", "avx2/2"] : ["generic/1"]))
    #expect(asked.count == 2 * keys.count)
    #expect(Set(asked) == keys)
    #expect(timed.count == (ISA.avx2.isSupported ? 12 : 4))
    for row in timed {
      let paired = try #require(row.pairedPeak, "\(row.variantID)")
      #expect(paired.peakGFLOPS > 0 && paired.peakGFLOPS.isFinite)
      #expect(paired.percent > 0 && paired.percent.isFinite)
    }
    if ISA.avx2.isSupported {
      for caseName in Set(timed.map(\.caseName)) {
        let peaks = Set(
          timed.filter { $0.caseName == caseName && $0.threads == 1 }
            .compactMap { $0.pairedPeak?.peakGFLOPS })
        #expect(peaks.count == 1, "\(caseName): \(peaks)")
      }
    }
  }

  /// Rows whose probe is unavailable keep empty columns; without a probe nothing is paired.
  @Test func rowsWithoutAProbeHaveNoPairedPeak() {
    var runner = Runner(plan: Self.plan())
    runner.peakProbe = { isa, pool in
      pool.threadCount == 1 ? PeakProbe.matching(isa: isa, pool: pool) : nil
    }
    let (results, _) = runner.run()
    #expect(results.filter { $0.threads == 2 }.allSatisfy { $0.pairedPeak == nil })
    #expect(
      results.filter { $0.threads == 1 }.allSatisfy { $0.pairedPeak != nil }
        == (PeakProbe.matching(isa: .generic, pool: .with(threads: 1)) != nil))
    let (plain, _) = Runner(plan: Self.plan()).run()
    #expect(plain.allSatisfy { $0.pairedPeak == nil })
  }
}
