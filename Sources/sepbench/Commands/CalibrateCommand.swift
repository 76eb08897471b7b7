import ArgumentParser
import Foundation
import Harness
import Reports

/// `sepbench calibrate`: the noise floor of each case, from this build against itself.
struct CalibrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "calibrate",
    abstract: "Measure each case's A/A noise (this build against itself) for a baseline.",
    discussion: """
      Runs the build in --blocks pairs of blocks, like `sepbench ab` with the same binary on \
      both sides, into OUT/base and OUT/head, and writes OUT/noise.csv: per case, the \
      half-width of the A/A interval. `compare` and `check` read noise.csv beside a baseline \
      (BASE/noise.csv or the folder above) and widen a case's band to 1.5 x its noise. \
      OUT/base is itself a baseline for `check --baseline OUT/base`.
      """)

  @Option(
    help: ArgumentHelp("The sepbench binary to calibrate (default: this one).", valueName: "binary")
  )
  var binary: String?

  @OptionGroup(title: "Each block") var block: BlockRunOptions

  @Option(help: "Pairs of blocks (default 20).")
  var blocks = 20

  @Option(
    help: ArgumentHelp(
      "blocks (default): one block after the other, the noise that `check` and `compare` of separate runs meet; rounds: the two blocks of a pair take turns, the noise of `ab`.",
      valueName: "blocks|rounds"))
  var interleave: InterleaveOption.Mode = .blocks

  @Option(name: .customLong("order-seed"), help: "Seed of the ABBA order.")
  var orderSeed: UInt64 = 1

  @Option(help: ArgumentHelp("Folder for the blocks and noise.csv.", valueName: "folder"))
  var out: String

  /// Checks what argument-parser cannot, first in `run` (one line, exit 2).
  func checkOptions() throws {
    guard (8...1000).contains(blocks) else {
      throw UsageError("--blocks \(blocks) is not allowed; use 8 to 1000 pairs")
    }
    guard block.metric == .time else {
      throw UsageError(
        "--metric instructions is not allowed here: calibrate measures timing noise, and counts have none"
      )
    }
  }

  func run() throws {
    try checkOptions()
    Interrupt.install()
    let runner = BlockRunner(binary: binary ?? SelfBinary.path)
    let abilities = try runner.checkIsSepbench()
    let skips: Set<ABSide> = abilities.skipsPreflight ? [.base, .head] : []
    let interleaving = InterleaveOption.interleaving(
      interleave, builds: [abilities], block: block)
    var session = try ABSession(root: out, arguments: block.arguments, seed: orderSeed)
    while session.pairs < blocks {
      if let status = Interrupt.exitStatus() { throw ExitCode(status.rawValue) }
      try session.runPair(
        base: runner, head: runner, skipsPreflight: skips, interleaving: interleaving,
        stopRequested: Interrupt.requested)
      StandardStreams.error("pair \(session.pairs) of \(blocks) done\n")
    }
    let report = try session.compare(RegressionOptions())
    let floor = NoiseFloor(calibration: report)
    try AtomicFile.write(
      floor.csv, to: session.root.appendingPathComponent(NoiseFloor.fileName))
    let values = floor.noise.values.sorted()
    let median = values.isEmpty ? 0 : values[values.count / 2]
    let worst = values.last ?? 0
    print(report.headline)
    print(
      "noise (A/A interval half-width): median \(String(format: "%.1f", median * 100))%, "
        + "worst \(String(format: "%.1f", worst * 100))% over \(values.count) cases")
    print("Noise floor: \(session.root.appendingPathComponent(NoiseFloor.fileName).path)")
  }
}
