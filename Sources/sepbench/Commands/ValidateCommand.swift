import ArgumentParser
import ConvKernels
import Foundation
import Harness

/// `sepbench validate`: every variant against the reference on random problems.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check every variant against the Double reference on random problems.",
    discussion: """
      Problems: a fixed set plus random ones from --seed (odd sizes 1, 3, 7, 13; stride 1 and \
      2; padding 0 and 1; kernels 1, 3, 5; 1 to 32 channels; batch 1 and 3), or only the \
      --shape problems. Tolerance: 4 * Float.ulpOfOne * accumulation length * max |reference|, \
      times the family's error growth for Winograd (64/9 for F(2x2), 256 for F(4x4)). Prints \
      one line per variant with its worst error: absolute, relative to the largest \
      |reference| output, and as a fraction of the tolerance. Exit 1 on any mismatch, with \
      the command that reproduces it.
      """)

  @Flag(help: "Fewer random problems (12 instead of 48).")
  var quick = false

  @OptionGroup var selection: SelectionOptions

  func run() throws {
    let problems =
      selection.shapes.isEmpty
      ? Validation.standardProblems(quick: quick, seed: selection.seed) : selection.shapes
    let threads = selection.threads ?? [1, 2]
    try selection.checkSelectsAVariant(threads: threads)
    var validation = Validation(
      problems: problems, ops: selection.ops, families: selection.variants,
      layouts: selection.layouts, threads: threads, seed: selection.seed)
    validation.isas = selection.isas
    try validation.checkMemory()
    print("Checking against the reference on \(problems.count) problems (seed \(selection.seed))")
    let outcomes = validation.run { outcome in
      let name = outcome.variantID.padding(toLength: 34, withPad: " ", startingAt: 0)
      if outcome.checked == 0, let reason = outcome.commonSkipReason {
        print("skip \(name) \(reason)")
        return
      }
      let verdict = outcome.passed ? "ok  " : "FAIL"
      let skipped = outcome.skipped.isEmpty ? "" : ", \(outcome.skipped.count) skipped"
      print(
        "\(verdict) \(name) "
          + "worst error \(String(format: "%.3g", outcome.worstError)) "
          + "(\(String(format: "%.3g", outcome.worstRelativeError)) of max |reference|, "
          + "\(String(format: "%.3g", outcome.worstErrorRatio)) of tolerance) "
          + "on \(outcome.checked) problems\(skipped)"
      )
      for failure in outcome.failures.prefix(3) { print("     \(failure)") }
    }
    let failed = outcomes.filter { !$0.passed }
    let notRun = outcomes.filter { $0.checked == 0 && $0.commonSkipReason != nil }.count
    print(
      "\(outcomes.count - failed.count - notRun) variants passed, \(failed.count) failed, "
        + "\(notRun) skipped")
    if !failed.isEmpty { throw ExitCode(ExitStatus.failed.rawValue) }
  }
}
