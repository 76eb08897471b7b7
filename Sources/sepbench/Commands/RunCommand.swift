import ArgumentParser
import ConvKernels
import Counters
import Foundation
import Harness
import Reports

/// `sepbench run`: validate, time and write a result folder.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Validate and time kernel variants; write a result folder.",
    discussion: """
      Every variant is checked against the reference first; one that fails is reported as \
      failed and never timed (exit 1). Within each shape, variants are timed round-robin so \
      ratios are taken under the same machine conditions. Ctrl-C, SIGTERM or SIGHUP stops \
      after the current shape and leaves a valid folder of the finished shapes, marked \
      incomplete (exit 128 + signal: 130, 143, 129). The folder is locked while the run \
      writes it; a second run into it is refused (exit 2).
      """)

  @Option(
    help:
      "Suite: \(Suite.builtIn.map(\.name).joined(separator: ", ")) (default \(Self.defaultSuite)). Not with --shape."
  )
  var suite: String?

  static let defaultSuite = "mobilenet-v1"

  @Option(
    help: ArgumentHelp(
      "Run shard I of N of the suite's cases (I from 1 to N): cases I, I + N, I + 2N, … in suite order. Every machine splits a suite the same way; `sepbench merge` joins the shards.",
      valueName: "I/N"))
  var shard: String?

  @OptionGroup var selection: SelectionOptions

  @Option(
    name: .customLong("min-time"),
    help: ArgumentHelp(
      "Shortest timed sample (ns, us, ms or s; default 5ms).", valueName: "duration"),
    transform: { try DurationOption.nanoseconds($0, option: "--min-time") })
  var minTime: UInt64 = 5_000_000

  @Option(help: "Timed samples per case (fewer when --max-case-time runs out, never fewer than 3).")
  var repetitions = 10

  @Option(
    name: .customLong("max-case-time"),
    help: ArgumentHelp(
      "Time budget for the timed samples of one case: one variant on one shape (default 1s).",
      valueName: "duration"),
    transform: { try DurationOption.nanoseconds($0, option: "--max-case-time") })
  var maxCaseTime: UInt64 = 1_000_000_000

  @Option(
    help:
      "Result folder, created if needed. One that already holds results is refused unless --force is given. Default: a new folder sepbench-results/<suite>-<time>, with -2, -3, … when that exists."
  )
  var out: String?

  @Flag(
    help:
      "Replace the result files already in --out. They stay untouched until the first shape of this run is finished; other files in the folder are never touched."
  )
  var force = false

  @Option(
    help: ArgumentHelp(
      "Counter events, comma-separated PAPI preset or native names, or 'none'. Default: cycles, instructions, L1/L2 misses, FP ops, branch misses, TLB misses and four perf software events (see `sepbench counters`).",
      valueName: "events"))
  var events: String?

  @Flag(
    inversion: .prefixedNo,
    help:
      "Measure this machine's FMA peak and memory bandwidth first (about 2 s), for pct_peak_* columns."
  )
  var ceilings = true

  @Flag(
    inversion: .prefixedNo,
    help:
      "Check every selected variant on random problems before timing (about 1 s on the quick suite). Each shape is validated before it is timed either way; `ab` skips this after a build's first block."
  )
  var preflight = true

  @Flag(
    help:
      "Fork threaded variants on every shape. By default a variant on N threads runs on one thread where one was faster at set-up (tiny shapes, where handing work to a second thread costs more than it saves); its note says so."
  )
  var fixedThreads = false

  @Option(
    help: ArgumentHelp(
      "What to measure: time, or instructions of one call on one thread (PAPI_TOT_INS, or the run again under valgrind's callgrind; no timing, counters or ceilings).",
      valueName: "time|instructions"))
  var metric: Metric = .time

  @Option(
    name: .customLong("instruction-counter"),
    help: ArgumentHelp(
      "With --metric instructions: auto (PAPI_TOT_INS where it can be counted, else callgrind), papi or callgrind.",
      valueName: "counter"))
  var instructionCounter: InstructionCounterChoice = .auto

  /// Set by the relaunch under callgrind: where callgrind writes its profiles.
  @Option(name: .customLong("callgrind-output"), help: .private)
  var callgrindOutput: String?

  /// Set by `ab`: take turns with the other build of the pair through these FIFOs
  /// (`ROLE,TO_SECOND,TO_FIRST`), one timed sample per turn.
  @Option(name: .customLong("turn-fifos"), help: .hidden)
  var turns: String?

  /// Set by `ab` when every case is single-threaded: the CPU both runs of a pair use.
  @Option(name: .customLong("pin-cpu"), help: .hidden)
  var pinCPU: Int?

  func run() throws {
    Interrupt.install()
    StandardStreams.fillClosed()
    var plan = try makePlan()
    let turnTaking = try joinTurns()
    let outPath = out ?? Self.defaultFolder(suite: plan.suite.name)
    try ResultFolder.checkWritable(outPath)
    var instructionCounting: (any InstructionCounting)?
    if metric == .instructions {
      switch try instructionCounter.setup(callgrindOutput: callgrindOutput) {
      case .count(let counting): instructionCounting = counting
      case .relaunchUnderValgrind(let valgrind):
        // The preflight runs here, natively, in about a second rather than minutes under
        // callgrind; only when it finds a failure does the relaunch repeat it, to record it.
        var arguments = Array(CommandLine.arguments.dropFirst())
        if preflight && Runner(plan: plan).preflight().isEmpty {
          arguments.append("--no-preflight")
          StandardStreams.error("Preflight (native): every selected variant passed\n")
        }
        throw ExitCode(try ValgrindRelaunch.run(valgrind: valgrind, arguments: arguments))
      }
    }
    let counterPlan = try Self.counterPlan(metric == .instructions ? "none" : events)
    plan.events = counterPlan.events
    let folder =
      try out == nil
      ? RunFolder.claimNew(outPath) : RunFolder.claim(outPath, replacing: force)
    defer { folder.release() }
    var metadata = RunMetadata(
      commandLine: CommandLine.arguments, startTime: Date(), machine: .current(),
      plan: PlanSummary(plan), gitCommit: GitCommit.current())
    metadata.counters = CountersMetadata(plan: counterPlan, environment: .current)
    let counting = counterPlan.groups.isEmpty ? nil : PAPICaseCounting(plan: counterPlan)
    if ceilings && metric == .time {
      do {
        let measured = try Calibration(
          threads: max(2, plan.threads.max() ?? 1),
          lastLevelCacheBytes: metadata.machine.lastLevelCacheBytes
        ).measure()
        metadata.ceilings = measured
        print(CeilingsSummary.text(measured))
      } catch {
        print("Ceilings not measured: \(error)")
      }
    }

    try folder.begin(metadata, events: plan.events)
    var runner = Runner(
      plan: plan, counting: counting, instructionCounting: instructionCounting)
    if metadata.ceilings != nil {
      runner.peakProbe = { PeakProbe.matching(isa: $0, pool: $1) }
    }
    if let turnTaking {
      runner.afterEachSample = { turnTaking.pass() }
      runner.afterEachCase = { turnTaking.finishCase() }
      runner.warmsEachSample = true
    }
    let preflightFailures = self.preflight ? runner.preflight() : [:]
    if self.preflight {
      let checked = plan.ops.reduce(0) { $0 + plan.variants(for: $1).count }
      let problems = Validation.standardProblems(quick: true, seed: plan.seed).count
      StandardStreams.error(
        "Preflight: \(checked) variants checked against the reference on \(problems) random "
          + "problems, \(preflightFailures.count) failed\n")
    }
    var progress = ProgressDisplay(total: plan.caseCount)
    let (outcome, steal) = CPUTimeSample.measuringSteal {
      runner.run(
        preflightFailures: preflightFailures,
        caseDone: { rows in
          progress.advance(rows)
          folder.record(rows)
        },
        shouldStop: { Interrupt.requested() || folder.writeError != nil })
    }
    progress.finish()
    metadata.stealPercent = steal
    metadata.endTime = RunMetadata.timestamp(Date())
    metadata.completed = outcome.completed
    try folder.finish(results: outcome.results, metadata: metadata)
    turnTaking?.leave()

    print(
      metric == .instructions
        ? InstructionsTable(results: outcome.results).text
        : ConsoleSummary(results: outcome.results).text)
    if let steal = metadata.stealPercent, let warning = StealWarning.text(percent: steal) {
      print(warning)
    }
    print("Results: \(folder.url.path)")
    if !outcome.completed {
      StandardStreams.error(folder.interruptedNote + "\n")
      throw ExitCode((Interrupt.exitStatus() ?? .interrupted).rawValue)
    }
    let failed = outcome.results.filter { $0.status == .failed }
    for row in failed { StandardStreams.error("FAILED \(row.note)\n") }
    if !failed.isEmpty { throw ExitCode(ExitStatus.failed.rawValue) }
  }

  /// The plan the options ask for, checked before anything is created: a suite or shapes
  /// (not both), a selection that names at least one variant, shapes that fit in memory.
  func makePlan() throws -> RunPlan {
    let chosen: Suite
    if let suite, !selection.shapes.isEmpty {
      throw UsageError(
        "--suite \(EchoedText(suite)) and --shape cannot be combined; give a suite or shapes, not both"
      )
    } else if !selection.shapes.isEmpty {
      chosen = .adHoc(selection.shapes)
    } else if let named = Suite.named(suite ?? Self.defaultSuite) {
      chosen = named
    } else {
      throw UsageError(
        "unknown suite '\(EchoedText(suite ?? ""))'; allowed: \(Suite.builtIn.map(\.name).joined(separator: ", "))"
      )
    }
    guard (1...100_000).contains(repetitions) else {
      throw UsageError("--repetitions \(repetitions) is not allowed; use 1 to 100000")
    }
    for problem in selection.shapes { try problem.validate(for: .convBlock) }
    let threads = selection.threads ?? [1]
    if metric == .instructions {
      if threads != [1] {
        throw UsageError(
          "--threads \(threads.map(String.init).joined(separator: ",")) is not allowed with --metric instructions; instructions are counted on one thread (use 1)"
        )
      }
      if let events, !["none", ""].contains(events) {
        throw UsageError(
          "--events \(EchoedText(events)) is not allowed with --metric instructions, which reads no other counter; use none"
        )
      }
    }
    try selection.checkSelectsAVariant(threads: threads, excluded: chosen.excludedByDefault)
    let part = try shard.map { try Self.parseShard($0, cases: chosen.cases.count) }
    var plan = RunPlan(
      suite: part.map { chosen.shard($0.index, of: $0.count) } ?? chosen, ops: selection.ops,
      families: selection.variants, layouts: selection.layouts,
      threads: threads, minSampleNanoseconds: minTime, repetitions: repetitions,
      caseBudgetNanoseconds: maxCaseTime, seed: selection.seed)
    plan.metric = metric
    plan.isas = selection.isas
    plan.fixedThreads = fixedThreads
    plan.shard = part
    try plan.checkMemory()
    return plan
  }

  /// Pins the process and opens the turn channel when `ab` asked for them; blocks until the
  /// other build of the pair has opened its ends (and, second in the pair, until its turn).
  func joinTurns() throws -> TurnTaking? {
    if let pinCPU, !CPUAffinity.pin(to: pinCPU) {
      throw UsageError(
        "--pin-cpu \(pinCPU) is not allowed; use one of the CPUs this process may run on: \(CPUAffinity.allowed().map(String.init).joined(separator: ","))"
      )
    }
    guard let turns else { return nil }
    guard metric == .time else {
      throw UsageError(
        "--turn-fifos is not allowed with --metric instructions; counts need no turns")
    }
    guard let channel = TurnTaking.Channel(argument: turns) else {
      throw UsageError(
        "--turn-fifos \(EchoedText(turns)) is not allowed; use ROLE,TO_SECOND,TO_FIRST with ROLE first or second"
      )
    }
    return try TurnTaking(channel)
  }

  /// Probes the requested events; an unknown name is bad input.
  static func counterPlan(_ list: String?) throws -> CounterPlan {
    let names: [String]
    switch list {
    case nil: names = EventProbe.defaultEvents
    case "none", "": names = []
    case let text?: names = CommaList.items(text)
    }
    let plan = CounterPlan(events: names)
    if let unknown = plan.availability.first(where: { $0.status == .unknownName }) {
      throw UnknownEventError(event: unknown.event, papiText: unknown.papiError?.text)
    }
    return plan
  }

  /// The default result folder's name; `RunFolder.claimNew` adds `-2`, `-3`, … when a run
  /// of the same second has it already.
  /// `I/N` with 1 <= I <= N <= the number of cases (so that no shard is empty).
  static func parseShard(_ text: String, cases: Int) throws -> (index: Int, count: Int) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
      (1...count).contains(index)
    else {
      throw UsageError(
        "--shard \(EchoedText(text)) is not allowed; use I/N with 1 <= I <= N, e.g. 1/4")
    }
    guard count <= cases else {
      throw UsageError(
        "--shard \(EchoedText(text)) is not allowed: the plan has \(cases) cases, so N must be at most \(cases)"
      )
    }
    return (index, count)
  }

  static func defaultFolder(suite: String) -> String {
    "sepbench-results/\(suite)-\(ResultFolder.timestamp())"
  }
}
