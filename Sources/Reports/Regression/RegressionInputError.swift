/// Why the folders given to `compare`, `check` or `ab` cannot be compared at all.
public enum RegressionInputError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The path holds neither a result folder nor folders of blocks.
  case notAResultFolder(path: String, reason: String)
  /// `meta.json` says `"completed": false`.
  case unfinished(path: String)
  /// A file of a newer schema than this sepbench reads.
  case futureSchema(path: String, found: Int, supported: Int)
  /// A result folder without a single timing sample.
  case noSamples(path: String)
  /// The two sides were measured on different machines or builds.
  case differentMachines(differences: [String])
  /// The sides share no case.
  case nothingInCommon(base: String, head: String)
  /// A thresholds file line that cannot be read.
  case badThreshold(file: String, line: Int, text: String)
  /// The sides (or the blocks of one side) measured different things: time and instruction
  /// counts, or instructions counted by PAPI and by callgrind.
  case differentMetrics(base: String, head: String)

  public var description: String {
    switch self {
    case .notAResultFolder(let path, let reason):
      "'\(path)' is not a sepbench result folder: \(reason)"
    case .unfinished(let path):
      "'\(path)' holds an unfinished run (meta.json: completed false); finish it or pass "
        + "--allow-incomplete"
    case .futureSchema(let path, let found, let supported):
      "'\(path)' has schema \(found); this sepbench reads schema \(supported) and older"
    case .noSamples(let path):
      "'\(path)' has no timing samples or instruction counts (samples.csv or instructions.csv is empty)"
    case .differentMachines(let differences):
      "incomparable: different machine fingerprints (\(differences.prefix(3).joined(separator: "; ")))"
        + "; pass --allow-different-machines for an advisory report"
    case .nothingInCommon(let base, let head):
      "incomparable: '\(base)' and '\(head)' share no case"
    case .differentMetrics(let base, let head):
      "incomparable: BASE measured \(base) and HEAD \(head); compare runs of one metric "
        + "(sepbench run --metric) counted the same way"
    case .badThreshold(let file, let line, let text):
      "\(file) line \(line): '\(text.prefix(80))' is not '<default|op NAME|case NAME|variant ID> "
        + "<T>', with T like 5% or 0.05"
    }
  }
}
