import ArgumentParser
import Harness

/// How `ab` and `calibrate` run the two blocks of a pair.
struct InterleaveOption: ParsableArguments {
  /// The two ways.
  enum Mode: String, ExpressibleByArgument, CaseIterable {
    case rounds, blocks
  }

  @Option(
    help: ArgumentHelp(
      "rounds: both blocks of a pair at once, taking turns one timed sample at a time (on one CPU when single-threaded), so both builds see the same machine speed; blocks: one block after the other. Default rounds; builds without turn-taking fall back to blocks.",
      valueName: "rounds|blocks"))
  var interleave: Mode = .rounds

  /// What to run: `rounds` only when it is asked for, the metric is time and both builds can
  /// take turns (a note on stderr says when they cannot); pinned to the last CPU this process
  /// may use when every block is single-threaded.
  func interleaving(builds: [BlockRunner.Abilities], block: BlockRunOptions) -> ABInterleaving {
    Self.interleaving(interleave, builds: builds, block: block)
  }

  /// `interleaving(builds:block:)` for a mode given some other way (`calibrate`'s).
  static func interleaving(
    _ mode: Mode, builds: [BlockRunner.Abilities], block: BlockRunOptions
  ) -> ABInterleaving {
    guard mode == .rounds, block.metric == .time else { return .blocks }
    guard builds.allSatisfy(\.takesTurns) else {
      StandardStreams.error(
        "note: a build cannot take turns (it predates --turn-fifos); its blocks run one after the other\n"
      )
      return .blocks
    }
    let threads = CommaList.items(block.threads ?? "1")
    return .rounds(pinCPU: threads.allSatisfy { $0 == "1" } ? CPUAffinity.allowed().last : nil)
  }
}
