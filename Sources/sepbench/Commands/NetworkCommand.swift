import ArgumentParser
import ConvKernels
import Foundation
import Harness
import KernelCatalog
import Reports

/// `sepbench network mobilenet-v1`: the whole forward pass from the project's kernels, against
/// its standard twins.
struct NetworkCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "network",
    abstract: "Run a whole network from the project's kernels against its standard twins.",
    discussion: """
      MobileNetV1, batch 1: the 3x3 stride-2 stem (conv + BN + ReLU), 13 separable blocks, \
      global average pooling and the FC layer with bias. Its twins replace every separable \
      block by a 3x3 convolution block: `standard` with direct kernels, `winograd` with \
      Winograd on every stride-1 block.

      A quick tuning pass validates and times every candidate kernel on every layer shape \
      (or reads the times from --from DIR, a `sepbench run` folder); each network then takes \
      per layer the fastest kernel on 1 or the asked thread count, in the one layout whose \
      layers sum fastest. --plan DIR runs the plans of an earlier network folder instead, \
      kernel for kernel, with no tuning. Each network is checked end to end against a Double-precision \
      network with the same seeded weights and input; a stage outside its derived bound is \
      named and nothing is timed (exit 1). The networks are then timed round-robin, one \
      forward pass each per round. The folder gets network.csv (per stage and total), \
      tuning.csv (the layers timed alone) and meta.json (plans and checks).
      """)

  @Argument(help: "Network: \(NetworkCatalog.names.joined(separator: ", ")).")
  var name: String

  @Option(
    parsing: .unconditional,
    help: "Width multiplier α, > 0 and <= \(Self.maxWidth); channels become max(8, floor(α·C)).")
  var width: Double = 1

  @Option(
    parsing: .unconditional,
    help:
      "Input resolution R (an R x R image), \(Self.resolutions.lowerBound) to \(Self.resolutions.upperBound)."
  )
  var resolution: Int = 224

  @Option(
    help: ArgumentHelp("Thread counts, comma-separated (default 1).", valueName: "list"),
    transform: { try CommaList.threads($0) })
  var threads: [Int] = [1]

  /// Which twins run beside the separable network.
  enum TwinChoice: String, CaseIterable, ExpressibleByArgument {
    case standard, winograd, all, none

    var forms: [NetworkForm] {
      switch self {
      case .standard: [.standard]
      case .winograd: [.winograd]
      case .all: [.standard, .winograd]
      case .none: []
      }
    }
  }

  @Option(help: "Twins to run beside the separable network: standard, winograd, all or none.")
  var twin: TwinChoice = .all

  @Option(
    help: ArgumentHelp(
      "Take layer times from this `sepbench run` folder instead of tuning; layers it lacks are tuned.",
      valueName: "DIR"))
  var from: String?

  @Option(help: "Timed forward passes of each network.")
  var repetitions = 20

  @Option(
    name: .customLong("plan"),
    help: ArgumentHelp(
      "Run the plans of this `sepbench network` folder (kernels, depth-first pairs, band height) again, with no tuning and no choice inside the network.",
      valueName: "DIR"))
  var planFolder: String?

  @Option(
    name: .customLong("band-rows"),
    help: ArgumentHelp(
      "Output rows of the second stage per band of a depth-first pair, 1 to 1024 (default \(NetworkPlan.defaultBandRows); with --plan, the plan's).",
      valueName: "rows"))
  var bandRows: Int?

  @Option(
    name: .customLong("warm-up"),
    help: ArgumentHelp(
      "Untimed forward passes of each network first, for at least this long (default 200ms).",
      valueName: "duration"),
    transform: { try DurationOption.nanoseconds($0, option: "--warm-up") })
  var warmUp: UInt64 = 200_000_000

  @Option(
    help: "Seed of the weights, input and tuning data (0 to 18446744073709551615).",
    transform: { try CommaList.seed($0) })
  var seed: UInt64 = 7

  @Option(
    help:
      "Result folder, created if needed; one that holds network.csv is refused unless --force. Default: sepbench-results/network-<name>-<time>."
  )
  var out: String?

  @Flag(help: "Replace network.csv, tuning.csv and meta.json in --out.")
  var force = false

  /// Set by `Scripts/peers/ab-onnxruntime-network`: take turns with the peer process through
  /// these FIFOs (`ROLE,TO_SECOND,TO_FIRST`, as `run --turn-fifos`), one round of timed
  /// passes per turn, so both tools' passes sit milliseconds apart.
  @Option(name: .customLong("turn-fifos"), help: .hidden)
  var turns: String?

  /// Set with `--turn-fifos` on one thread: run on this CPU only, the peer's CPU too, so both
  /// tools' passes meet the same host core.
  @Option(name: .customLong("pin-cpu"), help: .hidden)
  var pinCPU: Int?

  static let maxWidth = 4.0
  static let resolutions = 32...1024

  func run() throws {
    Interrupt.ignoreBrokenPipes()
    StandardStreams.fillClosed()
    let model = try checkedModel()
    guard (1...10_000).contains(repetitions) else {
      throw UsageError("--repetitions \(repetitions) is not allowed; use 1 to 10000")
    }
    if let bandRows, !(1...1024).contains(bandRows) {
      throw UsageError("--band-rows \(bandRows) is not allowed; use 1 to 1024")
    }
    if from != nil && planFolder != nil {
      throw UsageError(
        "--from and --plan are not allowed together; --plan runs its folder's kernels, --from only reads layer times"
      )
    }
    let stored: StoredNetworkPlans?
    do throws(NetworkPlanError) {
      stored = try planFolder.map(StoredNetworkPlans.read)
      try stored?.check(
        network: model.name, width: width, resolution: resolution, folder: planFolder ?? "")
    } catch {
      throw UsageError(error.description)
    }
    let outPath = out ?? "sepbench-results/network-\(model.name)-\(ResultFolder.timestamp())"
    try ResultFolder.checkWritable(outPath)
    let files = [Self.networkFile, Self.tuningFile, ResultFolder.metaFile]
    if !force, files.contains(where: { FileManager.default.fileExists(atPath: outPath + "/" + $0) })
    {
      throw UsageError(
        "--out \(EchoedText(outPath)) already holds a network run; give --force to replace it, or another folder"
      )
    }
    let channel = try turns.map { text in
      guard let channel = TurnTaking.Channel(argument: text) else {
        throw UsageError(
          "--turn-fifos \(EchoedText(text)) is not allowed; use ROLE,TO_SECOND,TO_FIRST with ROLE first or second"
        )
      }
      return channel
    }
    if let pinCPU, !CPUAffinity.pin(to: pinCPU) {
      throw UsageError(
        "--pin-cpu \(pinCPU) is not allowed; use one of the CPUs this process may run on: \(CPUAffinity.allowed().map(String.init).joined(separator: ","))"
      )
    }
    let known = try from.map(Self.timings(from:)) ?? []
    let forms = [NetworkForm.separable] + twin.forms
    let stagesByForm = forms.map { ($0, model.stages($0)) }
    let input = Tensor.random(
      shape: TensorShape(n: 1, c: MobileNetV1.imageChannels, h: resolution, w: resolution),
      layout: .nchw, seed: seed)
    // Every stored plan asked for, checked (pairs against their prepared kernels) before a
    // turn is taken or anything is timed; by form, then thread count.
    var storedPlans: [NetworkForm: [Int: NetworkPlan]] = [:]
    // The weights those checks prepared, kept for the networks that run.
    var checkedWeights: [NetworkForm: [StageWeights]] = [:]
    if let stored, let planFolder {
      for (form, stages) in stagesByForm {
        let weights = stages.map { StageWeights(for: $0, seed: seed) }
        checkedWeights[form] = weights
        for t in threads {
          storedPlans[form, default: [:]][t] = try Self.storedPlan(
            stored, form, threads: t, stages: stages, weights: weights, input: input,
            bandRows: bandRows, folder: planFolder)
        }
      }
    }
    // Joined before the tuning, which then runs while the peer waits: the peer opens its end
    // after its own set-up (building and checking its graph), and as second it waits for the
    // first turn, so neither tool's set-up shares the pinned CPU with the other's
    // measurements. Otherwise the peer's set-up would run beside the tuning and skew the
    // variants it picks.
    let turnTaking = try channel.map { try TurnTaking($0) }
    let start = Date()

    // A stored plan needs no layer timed alone.
    var tunedRows: [CaseResult] = []
    var timings: [LayerTiming] = []
    var inputSteps: InputStepTimings?
    if stored == nil {
      let tuning = NetworkTuning(stages: stagesByForm, threads: threads, known: known)
      if !tuning.needs.isEmpty {
        StandardStreams.error(
          "Tuning \(tuning.needs.count) layer shapes on threads \(tuning.threads.map(String.init).joined(separator: ","))\n"
        )
      }
      let tuned = tuning.run { rows in
        let ok = rows.filter { $0.status == .ok }.count
        StandardStreams.error(
          "  \(rows.first?.caseName ?? "?"): \(ok) of \(rows.count) variants timed\n")
      }
      tunedRows = tuned.rows
      timings = known + tuned.timings
      let steps = InputStepTimings.measure(
        stem: stagesByForm[0].1[0], threads: tuning.threads, seed: seed,
        sampler: Sampler(
          minSampleNanoseconds: tuning.minSampleNanoseconds, repetitions: tuning.repetitions,
          caseBudgetNanoseconds: tuning.caseBudgetNanoseconds))
      StandardStreams.error(Self.describe(steps) + "\n")
      inputSteps = steps
    }

    var metadata = NetworkMetadata(
      commandLine: CommandLine.arguments, startTime: start, machine: .current(),
      gitCommit: GitCommit.current(), network: model.name, width: width,
      resolution: resolution, seed: seed, repetitions: repetitions)
    metadata.planFrom = planFolder
    var networks: [CompiledNetwork] = []
    var references: [NetworkForm: [[Double]]] = [:]
    var failures: [String] = []
    for (form, stages) in stagesByForm {
      let weights =
        checkedWeights.removeValue(forKey: form)
        ?? stages.map { StageWeights(for: $0, seed: seed) }
      let referenceForm: NetworkForm = form == .separable ? .separable : .standard
      if references[referenceForm] == nil {
        references[referenceForm] = NetworkReference.forward(
          stages, weights: weights, input: input.values)
      }
      for t in threads {
        let plan =
          if let stored = storedPlans[form]?[t] {
            stored
          } else {
            try choosePlan(
              form, threads: t, stages: stages, weights: weights, input: input,
              timings: timings, inputSteps: inputSteps, metadata: &metadata)
          }
        metadata.plans.append(NetworkPlanSummary(plan, order: stages))
        let network = CompiledNetwork(plan: plan, stages: stages, weights: weights, input: input)
        let check = NetworkValidation(network, reference: references[referenceForm]!)
        metadata.validation.append(
          NetworkMetadata.Check(
            model: form.rawValue, threads: t, passed: check.passed, stages: check.stages))
        print(Self.planText(network, check: check))
        if let text = check.failureText {
          failures.append("\(form.rawValue) network on \(t) thread(s): \(text)")
        }
        networks.append(network)
      }
    }
    if !failures.isEmpty {
      // The checks and the tuning pass are kept (meta.json says not completed); no network.csv.
      metadata.endTime = RunMetadata.timestamp(Date())
      try Self.write(outPath, tuning: tunedRows, table: nil, metadata: metadata)
      for line in failures { StandardStreams.error("FAILED \(line)\n") }
      throw ExitCode(ExitStatus.failed.rawValue)
    }

    let timer = NetworkTimer(warmUpNanoseconds: warmUp, repetitions: repetitions)
    // The CPU this process uses while the peer has the turn (idle workers spinning) would
    // compete with the peer's passes; it is recorded.
    var cpuWhileWaiting = 0.0
    let (timed, steal) = CPUTimeSample.measuringSteal {
      timer.time(
        networks,
        afterEachRound: {
          guard let turnTaking else { return }
          let before = ProcessCPUTime.seconds()
          turnTaking.pass()
          cpuWhileWaiting += ProcessCPUTime.seconds() - before
        })
    }
    turnTaking?.leave()
    if let turnTaking {
      metadata.turnsPassed = turnTaking.turnsPassed
      metadata.cpuSecondsWhileWaiting = cpuWhileWaiting
    }
    metadata.stealPercent = steal
    let table = NetworkTable(
      network: model.name, width: width, resolution: resolution,
      runs: Array(zip(networks, timed)).map { ($0, $1) })
    metadata.endTime = RunMetadata.timestamp(Date())
    metadata.completed = true
    let folder = try Self.write(outPath, tuning: tunedRows, table: table, metadata: metadata)
    print(NetworkSummary(table: table).text)
    if let steal = metadata.stealPercent, let warning = StealWarning.text(percent: steal) {
      print(warning)
    }
    print("Results: \(folder.path)")
  }

  /// The plan of `form` on `threads` threads chosen by this run: the fastest kernels alone,
  /// then the depth-first pairs and the close kernels timed inside the network, each decision
  /// printed and recorded in `metadata`.
  func choosePlan(
    _ form: NetworkForm, threads t: Int, stages: [NetworkStage], weights: [StageWeights],
    input: Tensor, timings: [LayerTiming], inputSteps: InputStepTimings?,
    metadata: inout NetworkMetadata
  ) throws -> NetworkPlan {
    let planned = try NetworkPlanner.plan(
      form, stages: stages, threads: t, timings: timings, inputSteps: inputSteps
    ).banding(bandRows ?? NetworkPlan.defaultBandRows)
    // Pairs first, with the kernels fastest alone or close ones that run in row bands;
    // then the close kernels of the other stages inside the network around them.
    let close = NetworkPlanner.closeKernels(
      to: planned, stages: stages, timings: timings, tolerance: Self.closeAlone)
    let alternatives = close.compactMapValues(\.first)
    let depthFirst = DepthFirstRefinement(
      planned, stages: stages, weights: weights, input: input, alternatives: alternatives,
      timer: Self.refinementTimer)
    let paired = depthFirst.plan.depthFirstStages(in: stages)
    let refinement = NetworkRefinement(
      depthFirst.plan, alternatives: close.filter { !paired.contains($0.key) },
      stages: stages, weights: weights, input: input, timer: Self.refinementTimer)
    for decision in depthFirst.decisions {
      StandardStreams.error(Self.describe(decision) + "\n")
    }
    for stage in stages {
      guard let swapped = depthFirst.replaced[stage.name],
        let own = planned.choices[stage.name]
      else { continue }
      StandardStreams.error(
        "In the \(form.rawValue) network on \(t) thread(s), \(stage.name): "
          + "\(swapped.variant.id) in place of \(own.variant.id), to run depth-first\n")
    }
    for decision in refinement.decisions {
      StandardStreams.error(Self.describe(decision) + "\n")
    }
    metadata.depthFirstChoices += depthFirst.decisions
    metadata.inNetworkChoices += refinement.decisions
    return refinement.plan
  }

  /// The plan of `form` on `threads` threads from `stored` (`--plan`), its depth-first pairs
  /// checked against the kernels: both stages of a pair must run in row bands.
  static func storedPlan(
    _ stored: StoredNetworkPlans, _ form: NetworkForm, threads: Int, stages: [NetworkStage],
    weights: [StageWeights], input: Tensor, bandRows: Int?, folder: String
  ) throws -> NetworkPlan {
    let plan: NetworkPlan
    do throws(NetworkPlanError) {
      plan = try stored.plan(
        form, threads: threads, stages: stages, bandRows: bandRows, folder: folder)
    } catch {
      throw UsageError(error.description)
    }
    guard !plan.depthFirst.isEmpty else { return plan }
    let layerByLayer = CompiledNetwork(
      plan: plan.runningDepthFirst([]), stages: stages, weights: weights, input: input)
    for (index, stage) in stages.enumerated() where plan.depthFirst.contains(stage.name) {
      for name in [stage.name, stages[index + 1].name] where !layerByLayer.runsInRowBands(name) {
        let kernel = plan.choices[name]?.variant.id ?? "none"
        throw UsageError(
          "--plan '\(folder)': \(name)'s kernel \(kernel) does not run in row bands, so \(stage.name) cannot run depth-first with the next"
        )
      }
    }
    return plan
  }

  static let networkFile = "network.csv"
  static let tuningFile = "tuning.csv"

  /// Writes the folder, each file atomically: `tuning.csv`, then `network.csv` (removed when
  /// `table` is nil: a failed check times nothing), then `meta.json` last.
  @discardableResult
  static func write(
    _ path: String, tuning: [CaseResult], table: NetworkTable?, metadata: NetworkMetadata
  ) throws -> URL {
    let folder = try ResultFolder.create(at: path).url
    try AtomicFile.write(
      ResultsTable(events: [], ceilings: nil).csv(tuning),
      to: folder.appendingPathComponent(tuningFile))
    let network = folder.appendingPathComponent(networkFile)
    if let table {
      try AtomicFile.write(table.csv, to: network)
    } else {
      try? FileManager.default.removeItem(at: network)
    }
    try AtomicFile.write(
      try metadata.json(), to: folder.appendingPathComponent(ResultFolder.metaFile))
    return folder
  }

  /// The cost model of the network asked for, with α and R checked.
  func checkedModel() throws -> NetworkModel {
    let model = try NetworkCatalog.model(named: name, width: width, resolution: resolution)
    guard width <= Self.maxWidth else {
      throw UsageError(
        "--width \(width) is not allowed for a network run; use a number greater than 0 and at most \(Self.maxWidth)"
      )
    }
    guard Self.resolutions.contains(resolution) else {
      throw UsageError(
        "--resolution \(resolution) is not allowed for a network run; use \(Self.resolutions.lowerBound) to \(Self.resolutions.upperBound)"
      )
    }
    return model
  }

  /// Layer times of a `sepbench run` folder.
  static func timings(from path: String) throws -> [LayerTiming] {
    let run = try MeasuredRun.read(path)
    guard run.metric == "time" else {
      throw UsageError(
        "--from \(EchoedText(path)) holds \(run.metric ?? "mixed metrics"), not times; give a folder of `sepbench run` with --metric time"
      )
    }
    return run.layerTimings(source: path)
  }

  /// The plan of one network and its check, a few lines.
  static func planText(_ network: CompiledNetwork, check: NetworkValidation) -> String {
    let plan = network.plan
    var lines = [
      "\(plan.form.rawValue) network, \(plan.threads) thread(s), \(plan.layout.rawValue), \(plan.reorders) reorder(s); logits max error \(Self.scientific(check.logits.maxAbsError)) (allowed \(Self.scientific(check.logits.tolerance)))"
    ]
    for stage in network.stages {
      let source = plan.choices[stage.spec.name].map { " [\($0.source)]" } ?? ""
      let pairing =
        network.depthFirstLanes(at: stage.spec.name).map { lanes in
          ", depth-first with the next in bands of \(plan.bandRows) row(s)"
            + (lanes > 1 ? ", \(lanes) lanes" : "")
        } ?? ""
      lines.append(
        "  \(stage.spec.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(stage.variantID)\(source)\(pairing)"
      )
    }
    return lines.joined(separator: "\n")
  }

  /// Kernels within this fraction of a layer's fastest alone are timed inside the network too.
  static let closeAlone = 0.10
  /// The passes that settle close kernels inside the network (`NetworkRefinement`): fixed at
  /// 50 ms of warm-up and 30 passes of each twin, whatever `--warm-up` and `--repetitions`
  /// ask of the timed passes, so that a short timed run still settles on enough passes.
  static let refinementTimer = NetworkTimer(warmUpNanoseconds: 50_000_000, repetitions: 30)

  /// `ns` nanoseconds as milliseconds with three decimals, e.g. `0.123 ms`.
  static func milliseconds(_ ns: Double) -> String {
    String(format: "%.3f ms", locale: Locale(identifier: "en_US_POSIX"), ns / 1e6)
  }

  /// One line on a layer timed with two kernels inside its network.
  static func describe(_ decision: NetworkRefinement.Decision) -> String {
    let ms = milliseconds
    return
      "In the \(decision.model) network on \(decision.threads) thread(s), \(decision.stage): \(decision.kept) \(ms(decision.keptNanoseconds)), kept over \(decision.dropped) \(ms(decision.droppedNanoseconds))"
  }

  /// One line on the input image's two paths into an NHWC network, timed alone side by side.
  static func describe(_ steps: InputStepTimings) -> String {
    let ms = milliseconds
    let byThreads = { (times: [Int: Double]) in
      times.keys.sorted().map { "\(ms(times[$0]!)) on \($0) thread(s)" }.joined(separator: ", ")
    }
    let timed = steps.planarStems.map { "\($0.variant.id) \(ms($0.nanoseconds))" }
    let planar = (timed + (steps.note.map { [$0] } ?? [])).joined(separator: ", ")
    return
      "Input image: reorder \(ms(steps.reorder)), then the fastest NHWC stem \(byThreads(steps.nhwcStem)); or a stem reading NCHW: \(planar)"
  }

  static func scientific(_ value: Double) -> String {
    String(format: "%.2e", locale: Locale(identifier: "en_US_POSIX"), value)
  }
}
