import ArgumentParser
import Reports

/// `sepbench compare BASE HEAD`: per-case verdicts of HEAD against BASE.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare two result folders (or folders of blocks) case by case.",
    discussion: """
      Per case: the ratio of median times HEAD/BASE with a 99% interval, the Mann-Whitney p \
      (shown, never decisive) and a verdict: regression (interval above +T), improvement \
      (below -T), unchanged (inside ±T), inconclusive (straddles T) or incomparable. Folders \
      of as many blocks on each side (from `sepbench ab`) are compared pair by pair. Exit 0: \
      no regression; 1: a regression (--strict: or an inconclusive case); 2: bad input, \
      different machines, or a case both sides ran that cannot be compared.
      """)

  @Argument(help: "The baseline: a result folder or a folder of block-* result folders.")
  var base: String

  @Argument(help: "The candidate, in the same form.")
  var head: String

  @OptionGroup var verdict: VerdictOptions

  @Flag(help: "Pool the blocks of each side instead of pairing them.")
  var unpaired = false

  @Flag(
    help: """
      Compare the fastest variant of each operator, case and thread count on each side \
      instead of variant by variant: sepbench against a peer such as ONNX Runtime \
      (Scripts/peers/onnxruntime). Each row's reason names the two variants.
      """)
  var bestPerOp = false

  @Option(help: ArgumentHelp("Write compare.csv into this folder.", valueName: "folder"))
  var out: String?

  func run() throws {
    var baseRun = try MeasuredRun.read(base, allowIncomplete: verdict.allowIncomplete)
    var headRun = try MeasuredRun.read(head, allowIncomplete: verdict.allowIncomplete)
    var options = try verdict.options(noiseFolder: base)
    options.pairBlocks = !unpaired
    var chosen: (base: [CaseKey: String], head: [CaseKey: String]) = ([:], [:])
    if bestPerOp {
      (baseRun, chosen.base) = baseRun.bestPerOperator()
      (headRun, chosen.head) = headRun.bestPerOperator()
    }
    var report = try RegressionCheck.compare(base: baseRun, head: headRun, options: options)
    if bestPerOp {
      for index in report.rows.indices {
        let key = report.rows[index].key
        let names = "BASE \(chosen.base[key] ?? "none"), HEAD \(chosen.head[key] ?? "none")"
        let reason = report.rows[index].reason
        report.rows[index].reason = reason.isEmpty ? names : "\(names); \(reason)"
      }
    }
    try verdict.finish(report, out: out)
  }
}
