/// Counts the instructions that one call of a prepared kernel executes on the calling thread
/// (`sepbench run --metric instructions`).
public protocol InstructionCounting: Sendable {
  /// Where the counts come from, as `instructions.csv` and `compare.csv` name it:
  /// `PAPI_TOT_INS` or `callgrind`.
  var source: String { get }

  /// The instructions of one call of `kernel`, which has run at least once before (so lazy
  /// binding and first-touch work are not counted).
  /// - Throws: `InstructionCountError` when nothing could be counted.
  func count(_ kernel: TimedKernel) throws(InstructionCountError) -> Double
}

/// Why an instruction count could not be taken.
public struct InstructionCountError: Error, CustomStringConvertible, Sendable, Equatable {
  public let description: String

  public init(_ description: String) { self.description = description }
}
