import ArgumentParser
import ConvKernels
import Foundation
import Harness
import Reports

/// `sepbench ab`: two builds in alternating blocks, compared pair by pair.
struct ABCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ab",
    abstract: "Run two sepbench builds in alternating blocks and compare them pair by pair.",
    discussion: """
      Each block is a short `sepbench run` of the same plan by one build, as a child process; \
      pairs run in ABBA order (which build starts is drawn from --order-seed). By default the \
      two blocks of a pair run at once and take turns, one timed sample each, pinned to \
      one CPU (--interleave rounds). Block folders \
      go to OUT/base/block-NN and OUT/head/block-NN, then the pairs are compared as \
      `sepbench compare OUT/base OUT/head` would. With --until-decided, pairs are added while \
      any case is inconclusive, up to --max-blocks pairs or --budget. Ctrl-C compares the \
      pairs collected so far. Exit codes as `compare`.
      """)

  @Option(help: ArgumentHelp("The baseline sepbench binary.", valueName: "binary"))
  var base: String

  @Option(help: ArgumentHelp("The candidate sepbench binary.", valueName: "binary"))
  var head: String

  @OptionGroup(title: "Each block") var block: BlockRunOptions

  @Option(
    name: .customLong("blocks"),
    help:
      "Pairs of blocks to run, 8 to 1000 (default 20); with --metric instructions 1 to 1000 (default 1: the counts repeat)."
  )
  var requestedBlocks: Int?

  /// Pairs to run first.
  var blocks: Int { requestedBlocks ?? (countsInstructions ? 1 : 20) }

  var countsInstructions: Bool { block.metric == .instructions }

  @Option(name: .customLong("order-seed"), help: "Seed of the ABBA order.")
  var orderSeed: UInt64 = 1

  @Flag(help: "Add pairs while any case is inconclusive (up to --max-blocks or --budget).")
  var untilDecided = false

  @Option(name: .customLong("max-blocks"), help: "Most pairs with --until-decided (default 60).")
  var maxBlocks = 60

  @Option(
    help: ArgumentHelp("Time budget with --until-decided (default 10m).", valueName: "duration"),
    transform: { try DurationOption.nanoseconds($0, option: "--budget") })
  var budget: UInt64 = 600_000_000_000

  @Option(help: ArgumentHelp("Folder for the blocks and compare.csv.", valueName: "folder"))
  var out: String?

  @OptionGroup var pairing: InterleaveOption

  @OptionGroup var verdict: VerdictOptions

  /// Checks the options that argument-parser cannot (called first in `run`, so that a bad
  /// value gets the usual one line and exit 2).
  func checkOptions() throws {
    if countsInstructions {
      guard (1...1000).contains(blocks) else {
        throw UsageError("--blocks \(blocks) is not allowed; use 1 to 1000 pairs")
      }
      if untilDecided {
        throw UsageError(
          "--until-decided is not allowed with --metric instructions: counts repeat, so more blocks decide nothing"
        )
      }
    } else {
      guard (8...1000).contains(blocks) else {
        throw UsageError(
          "--blocks \(blocks) is not allowed; use 8 to 1000 pairs (pairing needs 8 pairs)")
      }
    }
    guard maxBlocks >= blocks else {
      throw UsageError("--max-blocks \(maxBlocks) is below --blocks \(blocks)")
    }
  }

  func run() throws {
    try checkOptions()
    Interrupt.install()
    try verdict.checkWritable()
    let baseRunner = BlockRunner(binary: base)
    let headRunner = BlockRunner(binary: head)
    let abilities: [ABSide: BlockRunner.Abilities] = [
      .base: try baseRunner.checkIsSepbench(countingInstructions: countsInstructions),
      .head: try headRunner.checkIsSepbench(countingInstructions: countsInstructions),
    ]
    let skipsPreflight = Set(abilities.filter(\.value.skipsPreflight).keys)
    let interleaving = pairing.interleaving(builds: Array(abilities.values), block: block)
    let root = out ?? "sepbench-ab/" + ResultFolder.timestamp() + "-\(getpid())"
    var session = try ABSession(root: root, arguments: block.arguments, seed: orderSeed)
    let options = try verdict.options(noiseFolder: nil)
    let started = MonotonicClock.now()
    var target = blocks
    var report: RegressionReport?
    var failure: (any Error)?
    loop: while true {
      while session.pairs < target {
        if Interrupt.requested() { break loop }
        do {
          try session.runPair(
            base: baseRunner, head: headRunner, skipsPreflight: skipsPreflight,
            interleaving: interleaving, stopRequested: Interrupt.requested)
        } catch {
          failure = error
          break loop
        }
        StandardStreams.error("pair \(session.pairs) of \(target) done\n")
      }
      // A case decided at an earlier look keeps that verdict: only inconclusive cases get
      // another look, so adding pairs cannot turn an "unchanged" into a false regression.
      let latest = try session.compare(options)
      report = report.map { latest.keepingDecided(from: $0) } ?? latest
      let undecided = report?.count(.inconclusive) ?? 0
      guard untilDecided, undecided > 0, target < maxBlocks,
        MonotonicClock.now() - started < budget
      else { break }
      StandardStreams.error("\(undecided) inconclusive: adding 2 pairs\n")
      target = min(maxBlocks, target + 2)
    }
    if failure != nil || Interrupt.requested() {
      // A child stopped by the same Ctrl-C is an interruption, not a broken build.
      let finished = session.pairs >= (countsInstructions ? 1 : options.estimator.minimumPairs)
      let partial = finished ? try? session.compare(options) : nil
      if let status = Interrupt.exitStatus() {
        if let partial {
          try verdict.write(partial, out: root)
        }
        StandardStreams.error(
          "interrupted after \(session.pairs) pairs; "
            + (partial == nil ? "too few to compare; " : "compared; ")
            + "blocks are in \(root)\n")
        throw ExitCode(status.rawValue)
      }
      if let partial { print(partial.table) }
      if let failure { throw failure }
    }
    guard let report else { throw UsageError("no pair of blocks finished") }
    try verdict.finish(report, out: root)
  }
}

extension BlockRunner.Failure: BadInput {}
