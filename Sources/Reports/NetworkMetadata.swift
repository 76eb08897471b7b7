import Foundation
import Harness

/// `meta.json` of a `sepbench network` folder: what ran, where, with which kernels, and how
/// each network's end-to-end check came out.
public struct NetworkMetadata: Codable, Sendable {
  /// One network's end-to-end check.
  public struct Check: Codable, Sendable {
    public var model: String
    public var threads: Int
    public var passed: Bool
    /// Each stage's error and allowed error (`NetworkValidation`).
    public var stages: [NetworkValidation.StageCheck]

    public init(
      model: String, threads: Int, passed: Bool, stages: [NetworkValidation.StageCheck]
    ) {
      self.model = model
      self.threads = threads
      self.passed = passed
      self.stages = stages
    }
  }

  public var schema = 1
  public var tool = "sepbench"
  public var kind = "network"
  public var commandLine: [String]
  public var startTime: String
  public var endTime: String?
  public var completed = false
  public var machine: MachineInfo
  public var fingerprint: MachineFingerprint
  public var toolchain: Toolchain
  public var gitCommit: String?
  public var network: String
  public var width: Double
  public var resolution: Int
  public var seed: UInt64
  public var repetitions: Int
  /// The tolerance rule of the end-to-end check, in words.
  public var tolerance = NetworkMetadata.toleranceRule
  public var plans: [NetworkPlanSummary] = []
  /// The folder whose plans ran (`--plan`), with no tuning and no choice inside the network;
  /// nil when this run chose its plans.
  public var planFrom: String?
  /// The layers whose close kernels were timed inside the network (`NetworkRefinement`): one
  /// decision per kernel dropped, each naming the kernel kept.
  public var inNetworkChoices: [NetworkRefinement.Decision] = []
  /// The pairs of stages timed depth-first and layer by layer inside the network
  /// (`DepthFirstRefinement`): `stage` names both (`b01+b02`), `kept` is `depth-first` or
  /// `layer by layer`.
  public var depthFirstChoices: [NetworkRefinement.Decision] = []
  /// Percent of the machine's CPU time that the hypervisor stole while the networks were
  /// timed (`CPUTimeSample`); nil where `/proc/stat` cannot be read, or nothing was timed.
  public var stealPercent: Double?
  /// Turns handed to the peer process when the timing took turns with one (`--turn-fifos`);
  /// nil when it ran alone.
  public var turnsPassed: Int?
  /// CPU seconds (all threads) this process used while the peer had the turn; nil when it ran
  /// alone.
  public var cpuSecondsWhileWaiting: Double?
  public var validation: [Check] = []

  public static let toleranceRule =
    "stage k: (e_(k-1) + 4 * 2^-23 * L_k * errorGrowth_k) * max(1, max |reference output of k|); L_k = products summed into one output of stage k, e_(k-1) = measured max error / magnitude of the stage before (0 for the image)"

  public init(
    commandLine: [String], startTime: Date, machine: MachineInfo, gitCommit: String?,
    network: String, width: Double, resolution: Int, seed: UInt64, repetitions: Int
  ) {
    self.commandLine = commandLine
    self.startTime = RunMetadata.timestamp(startTime)
    self.machine = machine
    self.fingerprint = .current(machine: machine)
    self.toolchain = .current
    self.gitCommit = gitCommit
    self.network = network
    self.width = width
    self.resolution = resolution
    self.seed = seed
    self.repetitions = repetitions
  }

  /// Pretty-printed JSON with sorted keys, like a run's `meta.json`.
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
  }
}
