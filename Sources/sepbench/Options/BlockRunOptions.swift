import ArgumentParser
import Harness

/// The `sepbench run` options one block of `ab`, `calibrate` or `check` passes on to the child.
/// Defaults suit many short blocks: the quick suite, one thread, 10 samples of at least 1 ms.
struct BlockRunOptions: ParsableArguments {
  @Option(help: "Suite of every block (default quick).")
  var suite = "quick"

  @Option(
    name: .customLong("shape"),
    help: ArgumentHelp("An ad-hoc shape (repeatable).", valueName: "descriptor"))
  var shapes: [String] = []

  @Option(help: ArgumentHelp("Operators, comma-separated.", valueName: "ops"))
  var ops: String?

  @Option(help: ArgumentHelp("Variant families, comma-separated.", valueName: "families"))
  var variants: String?

  @Option(help: ArgumentHelp("Layouts, comma-separated.", valueName: "layouts"))
  var layouts: String?

  @Option(
    name: .customLong("isa"),
    help: ArgumentHelp("Instruction-set levels, comma-separated.", valueName: "levels"))
  var isas: String?

  @Option(help: ArgumentHelp("Thread counts, comma-separated (default 1).", valueName: "counts"))
  var threads: String?

  @Option(help: "Timed samples per case in each block.")
  var repetitions = 10

  @Option(
    name: .customLong("min-time"),
    help: ArgumentHelp("Shortest timed sample (default 1ms).", valueName: "duration"))
  var minTime = "1ms"

  @Option(
    name: .customLong("max-case-time"),
    help: ArgumentHelp("Time budget per case in each block.", valueName: "duration"))
  var maxCaseTime: String?

  @Option(help: "Seed of the data and problems (the same in every block).")
  var seed: UInt64 = 7

  @Option(
    help: ArgumentHelp(
      "time, or instructions: one counted call per case on one thread (PAPI_TOT_INS or callgrind), default T 1%.",
      valueName: "time|instructions"))
  var metric: Metric = .time

  /// The arguments of `sepbench run` for one block (without `--out`).
  var arguments: [String] {
    var out: [String] = shapes.isEmpty ? ["--suite", suite] : shapes.flatMap { ["--shape", $0] }
    if let ops { out += ["--ops", ops] }
    if let variants { out += ["--variants", variants] }
    if let layouts { out += ["--layouts", layouts] }
    if let isas { out += ["--isa", isas] }
    out += ["--threads", threads ?? "1"]
    if metric == .instructions {
      out += ["--metric", metric.rawValue]
    } else {
      out += ["--repetitions", String(repetitions), "--min-time", minTime]
      if let maxCaseTime { out += ["--max-case-time", maxCaseTime] }
    }
    out += ["--seed", String(seed), "--no-ceilings", "--events", "none"]
    return out
  }
}
