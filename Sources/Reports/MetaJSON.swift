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
  public var completed: Bool
  public var machine: MachineInfo
  public var toolchain: Toolchain
  public var gitCommit: String?
  public var plan: PlanSummary
  /// Measured ceilings of this machine (nil when not measured).
  public var ceilings: MachineCeilings?
  /// PAPI and per-event status (nil when no counters were requested).
  public var counters: CountersMetadata?

  public init(
    commandLine: [String], startTime: Date, machine: MachineInfo, plan: PlanSummary,
    gitCommit: String?
  ) {
    self.commandLine = commandLine
    self.startTime = Self.timestamp(startTime)
    self.completed = false
    self.machine = machine
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
  }
}

/// Counter set-up of a run.
public struct CountersMetadata: Codable, Sendable, Equatable {
  public var papiVersion: String?
  public var virtualMachine: Bool?
  public var perfEventParanoid: Int?
  public var events: [EventMetadata]

  public init(papiVersion: String?, virtualMachine: Bool?, perfEventParanoid: Int?, events: [EventMetadata]) {
    self.papiVersion = papiVersion
    self.virtualMachine = virtualMachine
    self.perfEventParanoid = perfEventParanoid
    self.events = events
  }
}

/// One requested event: its CSV column, whether it was counted, how, and why not.
public struct EventMetadata: Codable, Sendable, Equatable {
  public var name: String
  public var column: String
  public var available: Bool
  /// e.g. "group 0", "multiplexed", or "unavailable".
  public var measuredAs: String
  public var reason: String?

  public init(name: String, column: String, available: Bool, measuredAs: String, reason: String?) {
    self.name = name
    self.column = column
    self.available = available
    self.measuredAs = measuredAs
    self.reason = reason
  }
}
