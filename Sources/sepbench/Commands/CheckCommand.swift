import ArgumentParser
import Foundation
import Harness
import Reports

/// `sepbench check --baseline DIR`: this build against a stored baseline.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Compare a run with a stored baseline (rerunning the baseline's plan if needed).",
    discussion: """
      The baseline is an ordinary result folder, or a folder of block-* result folders; \
      commit it or keep it as a CI artifact. Without --current, this binary reruns the \
      baseline's plan (suite or shapes, operators, variants, layouts, threads, repetitions, \
      sample time, seed, from its meta.json) as many blocks as the baseline has, into --out, \
      and compares unpaired: two sessions cannot be paired, so the band defaults to 10%. A \
      baseline of instruction counts (run --metric instructions) is recounted the same way, \
      with a 1% band. \
      Exit codes as `compare`.
      """)

  @Option(help: ArgumentHelp("The stored baseline folder.", valueName: "folder"))
  var baseline: String

  @Option(
    help: ArgumentHelp("An existing run to compare instead of rerunning.", valueName: "folder"))
  var current: String?

  @Option(help: ArgumentHelp("Folder for the rerun and compare.csv.", valueName: "folder"))
  var out: String?

  @OptionGroup var verdict: VerdictOptions

  func run() throws {
    Interrupt.install()
    let base = try MeasuredRun.read(baseline, allowIncomplete: verdict.allowIncomplete)
    let root = out ?? "sepbench-check/" + ResultFolder.timestamp() + "-\(getpid())"
    let headPath: String
    if let current {
      headPath = current
    } else {
      let runner = BlockRunner(binary: SelfBinary.path)
      _ = try ResultFolder.create(at: root)
      let arguments = Self.arguments(
        replaying: base.metadata.plan, source: base.instructionSource)
      for index in 0..<base.blocks.count {
        if let status = Interrupt.exitStatus() { throw ExitCode(status.rawValue) }
        let name = ABSession.blockName(index)
        let folder = URL(fileURLWithPath: root).appendingPathComponent(name).path
        let logs = try ResultFolder.create(at: root + "/logs")
        let log = logs.url.appendingPathComponent(name + ".log").path
        try runner.run(arguments: arguments, folder: folder, log: log)
      }
      headPath = root
    }
    let head = try MeasuredRun.read(headPath, allowIncomplete: verdict.allowIncomplete)
    var options = try verdict.options(noiseFolder: baseline)
    options.pairBlocks = false
    let report = try RegressionCheck.compare(base: base, head: head, options: options)
    try verdict.finish(report, out: out ?? (current == nil ? root : nil))
  }

  /// The `sepbench run` arguments that repeat `plan`.
  static func arguments(replaying plan: PlanSummary, source: String? = nil) -> [String] {
    var out: [String]
    if Suite.named(plan.suite) != nil {
      out = ["--suite", plan.suite]
    } else {
      out = plan.caseShapes.flatMap { ["--shape", $0.descriptor] }
    }
    out += ["--ops", plan.ops.joined(separator: ",")]
    if let variants = plan.variants { out += ["--variants", variants.joined(separator: ",")] }
    out += ["--layouts", plan.layouts.joined(separator: ",")]
    if let isas = plan.isas { out += ["--isa", isas.joined(separator: ",")] }
    out += ["--threads", plan.threads.map(String.init).joined(separator: ",")]
    if plan.fixedThreads == true { out.append("--fixed-threads") }
    if plan.measuredMetric == .instructions {
      out += ["--metric", Metric.instructions.rawValue]
      // Counted the way the baseline was, or the two cannot be compared.
      if let source, let counter = InstructionCounterChoice(source: source) {
        out += ["--instruction-counter", counter.rawValue]
      }
    } else {
      out += ["--repetitions", String(plan.repetitions)]
      out += ["--min-time", "\(plan.minSampleNanoseconds)ns"]
      out += ["--max-case-time", "\(plan.caseBudgetNanoseconds)ns"]
    }
    out += ["--seed", String(plan.seed), "--no-ceilings"]
    out += ["--events", plan.events.isEmpty ? "none" : plan.events.joined(separator: ",")]
    return out
  }
}
