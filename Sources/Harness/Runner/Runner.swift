import ConvKernels
import KernelCatalog

/// Turns a `RunPlan` into results. First every selected variant is checked against the
/// reference on the random validation problems (`Validation.standardProblems(quick: true)`:
/// odd sizes, stride 2, padding, one and several channels); a variant that fails any of them
/// is reported `failed` on every shape and never timed. Then, for each suite case, every
/// remaining variant is prepared and checked once more on that very shape, and all that pass
/// are timed round-robin — one sample of each in turn, `repetitions` rounds — so that drift
/// in machine speed hits every contender alike and ratios taken within the case are fair.
public struct Runner {
  public let plan: RunPlan
  /// Reads counters on extra, untimed repetitions; nil when no events were asked for.
  public let counting: CaseCounting?
  /// With `Metric.instructions`: counts one call of each validated kernel instead of timing.
  public let instructionCounting: (any InstructionCounting)?
  /// Runs after every timed sample, outside the clock (`ab` passes the turn to the other
  /// build there).
  public var afterEachSample: () -> Void = {}
  /// Runs after every suite case, timed or not (`ab` waits there until the other build has
  /// finished the case too).
  public var afterEachCase: () -> Void = {}
  /// One untimed call before every timed sample (set when taking turns, see `Sampler`).
  public var warmsEachSample = false
  /// Reads the machine's CPU time before and after each case's samples, for the case's
  /// `steal_pct` (tests substitute a sequence of readings).
  package var readCPUTime: () -> CPUTimeSample? = { CPUTimeSample.read() }
  /// The FMA peak probe for rows of an ISA on a pool (`PeakProbe.matching`), timed in every
  /// round beside the case's kernels for the `paired_peak_gflops` and
  /// `pct_paired_peak_flops` columns; nil (the default) times no probe. A nil probe leaves
  /// those rows' columns empty.
  public var peakProbe: ((ISA, WorkerPool) -> PeakProbe?)?
  /// The variants of an operator (the plan's selection; tests substitute their own).
  let variants: @Sendable (Op) -> [any KernelVariant]

  public init(
    plan: RunPlan, counting: CaseCounting? = nil,
    instructionCounting: (any InstructionCounting)? = nil
  ) {
    self.init(
      plan: plan, counting: counting, instructionCounting: instructionCounting,
      variants: { [plan] in plan.variants(for: $0) })
  }

  /// A runner over explicit variants instead of the registry's.
  package init(
    plan: RunPlan, counting: CaseCounting? = nil,
    instructionCounting: (any InstructionCounting)? = nil,
    variants: @escaping @Sendable (Op) -> [any KernelVariant]
  ) {
    self.plan = plan
    self.counting = counting
    self.instructionCounting = instructionCounting
    self.variants = variants
  }

  /// Checks every selected variant on the random validation problems; the failures by
  /// variant id.
  public func preflight() -> [String: ValidationFailure] {
    let validation = Validation(
      problems: Validation.standardProblems(quick: true, seed: plan.seed), seed: plan.seed)
    var failures: [String: ValidationFailure] = [:]
    for op in plan.ops {
      for outcome in validation.check(variants(op), op: op) {
        if let failure = outcome.failures.first { failures[outcome.variantID] = failure }
      }
    }
    return failures
  }

  /// Runs every case after the preflight check. After each suite case, `caseDone` gets that
  /// case's rows. Between suite cases `shouldStop` is polled; when it returns true the run
  /// ends early and `completed` is false. Rows of an interrupted suite case are dropped,
  /// never half-measured.
  /// `preflightFailures`, when given, is the result of an earlier `preflight()`.
  public func run(
    preflightFailures: [String: ValidationFailure]? = nil,
    caseDone: ([CaseResult]) -> Void = { _ in }, shouldStop: () -> Bool = { false }
  ) -> (results: [CaseResult], completed: Bool) {
    let failures = preflightFailures ?? preflight()
    var results: [CaseResult] = []
    for suiteCase in plan.suite.cases {
      if shouldStop() { return (results, false) }
      let rows = measure(suiteCase, preflightFailures: failures)
      afterEachCase()
      results += rows
      caseDone(rows)
    }
    return (results, true)
  }

  /// Validates and times every selected variant on one suite case; variants in
  /// `preflightFailures` are reported failed without running.
  public func measure(
    _ suiteCase: SuiteCase, preflightFailures: [String: ValidationFailure] = [:]
  ) -> [CaseResult] {
    var rows: [CaseResult] = []
    var contenders: [Contender] = []
    var references: [Op: ReferenceCase] = [:]
    for op in plan.ops {
      let part = suiteCase.problem.part(for: op)
      let variants = self.variants(op)
      guard !variants.isEmpty else { continue }
      let reference = ReferenceCase(op: op, problem: suiteCase.problem, seed: plan.seed)
      references[op] = reference
      let buffers = OperandBuffers(reference: reference, layouts: Set(variants.map(\.layout)))
      for variant in variants {
        var row = CaseResult(
          suite: plan.suite.name, caseName: suiteCase.name, op: op,
          family: type(of: variant).family, layout: variant.layout, threads: variant.threads,
          blockProblem: suiteCase.problem, status: .skipped)
        row.isa = type(of: variant).isa
        row.algorithm = type(of: variant).algorithm
        row.algorithmCost =
          variant.algorithmCost(part) ?? AlgorithmCost(mults: row.cost.macs, transformFlops: 0)
        if let reason = VariantRegistry.skipReason(variant, on: part) {
          row.note = reason
          rows.append(row)
          continue
        }
        if let failure = preflightFailures[variant.id] {
          row.status = .failed
          row.note = "failed validation on a random problem: \(failure)"
          rows.append(row)
          continue
        }
        var pool = WorkerPool.with(threads: variant.threads)
        var kernel = variant.prepare(suiteCase.problem, reference.parameters, pool: pool)
        let check = reference.check(
          kernel, layout: variant.layout, errorGrowth: type(of: variant).errorGrowth)
        row.maxAbsError = check.maxAbsError
        row.note = variant.note(for: part) ?? ""
        guard check.passed else {
          row.status = .failed
          row.note =
            ValidationFailure(
              variant: variant, op: op, problem: suiteCase.problem, seed: plan.seed, check: check
            ).description
          rows.append(row)
          continue
        }
        if variant.threads > 1 && !plan.fixedThreads && instructionCounting == nil,
          let single = chooseSingleThread(
            variant, suiteCase: suiteCase, kernel: kernel, reference: reference,
            buffers: buffers, preflightFailures: preflightFailures)
        {
          kernel = single.kernel
          pool = WorkerPool.with(threads: 1)
          row.note = [row.note, single.note].filter { !$0.isEmpty }.joined(separator: "; ")
        }
        row.status = .ok
        contenders.append(
          Contender(
            row: rows.count, op: op, kernel: kernel, pool: pool,
            src: buffers.input[variant.layout]!, dst: buffers.output[variant.layout]!))
        rows.append(row)
      }
    }
    if let instructionCounting {
      count(contenders, with: instructionCounting, into: &rows, references: references)
      return rows
    }
    let sampler = Sampler(
      minSampleNanoseconds: plan.minSampleNanoseconds, repetitions: plan.repetitions,
      caseBudgetNanoseconds: plan.caseBudgetNanoseconds)
    let probes = peakProbes(for: contenders, rows: rows)
    let (allTimings, steal) = CPUTimeSample.measuringSteal(read: readCPUTime) {
      sampler.sampleRoundRobin(
        contenders.map(\.timed) + probes.timed, warmEachSample: warmsEachSample,
        afterSample: afterEachSample)
    }
    let timings = allTimings.prefix(contenders.count)
    for (contender, timing) in zip(contenders, timings) {
      // The output of the last timed iteration must still be right: a kernel whose scratch
      // state goes stale between calls fails here, not only on its first run.
      let after = references[contender.op]!.compare(contender.dst)
      if !after.passed {
        rows[contender.row].status = .failed
        rows[contender.row].note =
          "wrong output after timing (max error \(after.maxAbsError), \(after.nonFiniteOutputs) not finite); reproduce: sepbench run --shape \(suiteCase.problem.descriptor) --ops \(contender.op.rawValue) --variants \(rows[contender.row].family)"
        continue
      }
      rows[contender.row].iterations = timing.iterations
      rows[contender.row].samples = timing.samples
      rows[contender.row].statistics = SampleStatistics(timing.samples)
      rows[contender.row].stealPercent = steal
      if let index = probes.index[contender.row] {
        rows[contender.row].pairedPeak = PairedPeak.estimate(
          kernel: timing, flops: Double(rows[contender.row].cost.flops),
          probe: allTimings[contenders.count + index],
          probeFlops: probes.kernels[index].flopsPerRun)
      }
      if let counting {
        rows[contender.row].counters = counting.count(
          contender.timed, pool: contender.pool, iterations: timing.iterations)
      }
    }
    return rows
  }
}

extension Runner {
  /// The family's one-thread kernel and the note for the row, when it ran faster than
  /// `kernel` (the variant's own, on its threads) at set-up; nil when the variant should
  /// fork. The one-thread kernel stands in only if it passed the random-problem preflight
  /// and passes the check on this shape, before it is raced.
  fileprivate func chooseSingleThread(
    _ variant: any KernelVariant, suiteCase: SuiteCase, kernel: any PreparedKernel,
    reference: ReferenceCase, buffers: OperandBuffers,
    preflightFailures: [String: ValidationFailure]
  ) -> (kernel: any PreparedKernel, note: String)? {
    let singleVariant = type(of: variant).init(layout: variant.layout, threads: 1)
    let outcome = ThreadSplitChoice.choose(
      threaded: kernel, threads: variant.threads,
      single: {
        guard preflightFailures[singleVariant.id] == nil else { return nil }
        let single = singleVariant.prepare(
          suiteCase.problem, reference.parameters, pool: WorkerPool.with(threads: 1))
        let check = reference.check(
          single, layout: variant.layout, errorGrowth: type(of: variant).errorGrowth)
        return check.passed ? single : nil
      },
      src: buffers.input[variant.layout]!, dst: buffers.output[variant.layout]!)
    guard let note = outcome.note else { return nil }
    return (outcome.kernel, note)
  }

  /// How the note of a row whose instructions could not be counted begins.
  public static let notCountedPrefix = "instructions not counted"

  /// Counts the instructions of one call of each contender, after one uncounted call, then
  /// checks the output once more.
  fileprivate func count(
    _ contenders: [Contender], with counting: any InstructionCounting,
    into rows: inout [CaseResult], references: [Op: ReferenceCase]
  ) {
    for contender in contenders {
      contender.timed.run(iterations: 1)
      let counted: Double
      do {
        counted = try counting.count(contender.timed)
      } catch {
        rows[contender.row].status = .failed
        rows[contender.row].note = "\(Self.notCountedPrefix): \(error)"
        continue
      }
      let after = references[contender.op]!.compare(contender.dst)
      guard after.passed else {
        rows[contender.row].status = .failed
        rows[contender.row].note =
          "wrong output after the counted call (max error \(after.maxAbsError))"
        continue
      }
      rows[contender.row].instructions = counted
      rows[contender.row].instructionSource = counting.source
    }
  }
}

extension Runner {
  /// One peak probe per probe loop and thread count among `contenders` (when `peakProbe` is
  /// set), and the probe of each contender's row. `peakProbe` is asked once per row ISA and
  /// thread count; row ISAs whose probes time the same loop share the first such probe, so
  /// no loop is timed twice in a round.
  fileprivate func peakProbes(for contenders: [Contender], rows: [CaseResult]) -> CaseProbes {
    var probes = CaseProbes()
    guard let peakProbe, let first = contenders.first else { return probes }
    var byRowKey: [ProbeKey: Int?] = [:]
    var byLoopKey: [ProbeKey: Int] = [:]
    for contender in contenders {
      let row = rows[contender.row]
      let rowKey = ProbeKey(isa: row.isa, threads: row.threads)
      if let known = byRowKey[rowKey] {
        probes.index[contender.row] = known
        continue
      }
      var index: Int?
      if let probe = peakProbe(row.isa, WorkerPool.with(threads: row.threads)) {
        let loopKey = ProbeKey(isa: probe.isa, threads: row.threads)
        if let shared = byLoopKey[loopKey] {
          index = shared
        } else {
          index = probes.kernels.count
          byLoopKey[loopKey] = probes.kernels.count
          probes.kernels.append(probe)
          probes.timed.append(TimedKernel(kernel: probe, src: first.src, dst: first.dst))
        }
      }
      byRowKey[rowKey] = index
      probes.index[contender.row] = index
    }
    return probes
  }
}

/// The peak probes of one suite case.
private struct CaseProbes {
  var kernels: [PeakProbe] = []
  var timed: [TimedKernel] = []
  /// The probe (index into `kernels`) of each row that has one.
  var index: [Int: Int] = [:]
}

/// An ISA (a row's, or a probe loop's) and a thread count.
private struct ProbeKey: Hashable {
  let isa: ISA
  let threads: Int
}

/// A validated kernel waiting to be timed, and where its row is.
private struct Contender {
  let row: Int
  let op: Op
  let kernel: any PreparedKernel
  let pool: WorkerPool
  let src: Tensor
  let dst: Tensor

  var timed: TimedKernel { TimedKernel(kernel: kernel, src: src, dst: dst) }
}

/// Input and output tensors of one operator, one pair per layout, shared by every variant of
/// that operator in a suite case (kernels never write their input).
private struct OperandBuffers {
  let input: [Layout: Tensor]
  let output: [Layout: Tensor]

  init(reference: ReferenceCase, layouts: Set<Layout>) {
    let outputShape = reference.problem.part(for: reference.op).outputShape(for: reference.op)
    var input: [Layout: Tensor] = [:]
    var output: [Layout: Tensor] = [:]
    for layout in layouts {
      // Input and output in one allocation, the output above: auto-vectorised loops check at
      // run time whether their output overlaps their input, a check that takes a few more
      // instructions when the output lies below. With the order fixed, instruction counts
      // (`Metric.instructions`) do not depend on where the allocator put the buffers.
      let pair = Tensor.pair(
        copying: reference.input.converted(to: layout), outputShape: outputShape)
      input[layout] = pair.input
      output[layout] = pair.output
    }
    self.input = input
    self.output = output
  }
}

/// Reads counters for one validated kernel, outside the timed samples.
public protocol CaseCounting: Sendable {
  /// Counter values per iteration by event name (nil where unavailable), measured over
  /// `iterations` runs of `kernel` on `pool`'s threads.
  func count(_ kernel: TimedKernel, pool: WorkerPool, iterations: Int) -> [String: Double?]
}
