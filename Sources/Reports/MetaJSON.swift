import Counters
import Foundation
import Harness

/// The contents of `meta.json`: where, when, how and with what a result folder was made.
public struct RunMetadata: Codable, Sendable, Equatable {
  /// Schema of this file (same numbering as results.csv).
  public var schema: Int = ResultsColumn.schemaVersion
  public var tool: String = "sepbench"
  public var commandLine: [String]
  /// ISO 8601, UTC.
  public var startTime: String
  public var endTime: String?
  /// False while running and after an interrupted run; the CSVs then hold finished cases only.
  /// `ResultFolder.write` writes it false before it replaces any CSV and true only after the
  /// last one, so true means that all four files belong to one finished run.
  public var completed: Bool
  public var machine: MachineInfo
  /// What must match for times to be compared (nil in folders of older versions).
  public var fingerprint: MachineFingerprint?
  public var toolchain: Toolchain
  public var gitCommit: String?
  public var plan: PlanSummary
  /// Measured ceilings of this machine (nil when not measured).
  public var ceilings: MachineCeilings?
  /// Percent of the machine's CPU time that the hypervisor stole from the first case to the
  /// last (`CPUTimeSample`); nil where `/proc/stat` cannot be read, and in older folders.
  public var stealPercent: Double?
  /// PAPI and per-event status (nil when no counters were requested).
  public var counters: CountersMetadata?
  /// The folders `sepbench merge` made this one from (nil for a run).
  public var mergedFrom: [String]?
  /// Each machine of a merge of several fingerprints, with its ceilings (nil otherwise); rows
  /// name theirs in the `machine` column.
  public var machines: [ResultMerge.Machine]?

  public init(
    commandLine: [String], startTime: Date, machine: MachineInfo, plan: PlanSummary,
    gitCommit: String?
  ) {
    self.commandLine = commandLine
    self.startTime = Self.timestamp(startTime)
    self.completed = false
    self.machine = machine
    self.fingerprint = .current(machine: machine)
    self.toolchain = .current
    self.gitCommit = gitCommit
    self.plan = plan
  }

  /// `date` as ISO 8601 in UTC.
  public static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }
}

/// How the binary was built.
public struct Toolchain: Codable, Sendable, Equatable {
  public var swift: String
  public var configuration: String
  public var papiTrait: Bool

  public static var current: Toolchain {
    #if compiler(>=6.4)
      let swift = ">= 6.4"
    #elseif compiler(>=6.3)
      let swift = "6.3"
    #elseif compiler(>=6.2)
      let swift = "6.2"
    #else
      let swift = "< 6.2"
    #endif
    #if DEBUG
      let configuration = "debug"
    #else
      let configuration = "release"
    #endif
    #if PAPI
      let papi = true
    #else
      let papi = false
    #endif
    return Toolchain(swift: swift, configuration: configuration, papiTrait: papi)
  }
}

/// The plan of a run, as meta.json records it.
public struct PlanSummary: Codable, Sendable, Equatable {
  public var suite: String
  public var cases: [String]
  public var ops: [String]
  public var variants: [String]?
  public var layouts: [String]
  public var threads: [Int]
  public var minSampleNanoseconds: UInt64
  public var repetitions: Int
  public var caseBudgetNanoseconds: UInt64
  public var seed: UInt64
  public var events: [String]
  /// `time` or `instructions` (absent in folders of older versions: time).
  public var metric: String?
  /// The instruction-set levels selected (`--isa`); nil for all.
  public var isas: [String]?
  /// True when threaded variants always forked (`--fixed-threads`); absent otherwise.
  public var fixedThreads: Bool?
  /// `I/N` when the run measured shard I of N of its suite (`--shard`); absent otherwise.
  /// `cases` then lists the shard's cases only.
  public var shard: String?

  /// What the run measured.
  public var measuredMetric: Metric { metric.flatMap(Metric.init(rawValue:)) ?? .time }

  /// The suite cases in plan order, as (name, shape descriptor), from `cases`
  /// (`name=descriptor`).
  public var caseShapes: [(name: String, descriptor: String)] {
    cases.compactMap { entry in
      let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
      return parts.count == 2 ? (parts[0], parts[1]) : nil
    }
  }

  /// The shape descriptor of each suite case.
  public var shapesByCase: [String: String] {
    Dictionary(caseShapes.map { ($0.name, $0.descriptor) }, uniquingKeysWith: { first, _ in first })
  }

  public init(_ plan: RunPlan) {
    suite = plan.suite.name
    cases = plan.suite.cases.map { "\($0.name)=\($0.problem.descriptor)" }
    ops = plan.ops.map(\.rawValue)
    variants = plan.families
    layouts = plan.layouts.map(\.rawValue)
    threads = plan.threads
    minSampleNanoseconds = plan.minSampleNanoseconds
    repetitions = plan.repetitions
    caseBudgetNanoseconds = plan.caseBudgetNanoseconds
    seed = plan.seed
    events = plan.events
    metric = plan.metric.rawValue
    isas = plan.isas?.map(\.rawValue)
    fixedThreads = plan.fixedThreads ? true : nil
    shard = plan.shard.map { "\($0.index)/\($0.count)" }
  }
}

/// Counter set-up of a run.
public struct CountersMetadata: Codable, Sendable, Equatable {
  public var builtWithPAPI: Bool
  public var papiVersion: String?
  /// What detected a virtual machine (nil when none was detected).
  public var virtualMachine: String?
  public var perfEventParanoid: Int?
  /// PAPI components that are disabled here, with PAPI's reason.
  public var disabledComponents: [String]
  /// Why the events were not multiplexed (nil when they were, or none were countable).
  public var multiplexingNote: String?
  /// One record per requested event: its column, how it was measured (group, multiplexed,
  /// unavailable) and why not.
  public var events: [EventMeasurement]

  public init(plan: CounterPlan, environment: CounterEnvironment) {
    builtWithPAPI = environment.builtWithPAPI
    papiVersion = environment.papiVersion
    virtualMachine = environment.virtualMachine
    perfEventParanoid = environment.perfEventParanoid
    disabledComponents = environment.disabledComponents
    multiplexingNote = plan.multiplexingNote
    events = plan.measurements
  }
}
