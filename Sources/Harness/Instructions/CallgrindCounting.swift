import Foundation
import Synchronization

/// Counts instructions under valgrind's callgrind, started and stopped around the counted call
/// only.
///
/// The process must run under
/// `valgrind --tool=callgrind --collect-atstart=no --toggle-collect=P --dump-after=P
/// --callgrind-out-file=F` with `P` = `functionPattern` (see `valgrindArguments`). Callgrind
/// then collects only while `callgrindCountedCall` runs, and writes a profile `F.1`, `F.2`, … each time
/// it returns, with the counters zeroed after each dump. So the n-th counted call's
/// instructions are the totals of `F.n`, read right after the call returns (valgrind writes
/// the dump before the next guest instruction runs). No client request, and so no C, is
/// needed.
///
/// Limits: one thread (collection follows the thread that enters the function; kernels with
/// one thread run on the caller); the counts are valgrind's guest instructions, which match
/// the hardware's for this code; valgrind emulates AVX2 and FMA but not AVX-512.
public final class CallgrindCounting: InstructionCounting {
  public let source = "callgrind"
  /// The `--callgrind-out-file` the process runs with.
  public let outputFile: String
  private let calls = Mutex(0)

  /// The symbol of `callgrindCountedCall`, fixed by `@_silgen_name` so that it does not
  /// depend on Swift's mangling (callgrind's `--dump-after` matches names exactly).
  public static let functionPattern = "sepbench_callgrind_counted_call"

  public init(outputFile: String) { self.outputFile = outputFile }

  /// Valgrind's arguments before the program's for a process whose profiles go to
  /// `outputFile`.
  public static func valgrindArguments(outputFile: String) -> [String] {
    [
      "-q", "--tool=callgrind", "--collect-atstart=no",
      "--toggle-collect=\(functionPattern)", "--dump-after=\(functionPattern)",
      "--callgrind-out-file=\(outputFile)",
    ]
  }

  public func count(_ kernel: TimedKernel) throws(InstructionCountError) -> Double {
    let call = calls.withLock { count in
      count += 1
      return count
    }
    callgrindCountedCall(kernel)
    let dump = "\(outputFile).\(call)"
    guard let text = try? String(contentsOfFile: dump, encoding: .utf8) else {
      throw InstructionCountError(
        "callgrind wrote no profile \(dump) after the counted call; is this process running under valgrind --tool=callgrind with \(Self.functionPattern) toggled?"
      )
    }
    guard let total = Self.totalInstructions(text) else {
      throw InstructionCountError("\(dump) holds no 'totals:' or 'summary:' line")
    }
    try? FileManager.default.removeItem(atPath: dump)
    return total
  }

  /// The total of the first event (Ir) in a callgrind profile: its `totals:` line, or its
  /// `summary:` line when it has none.
  public static func totalInstructions(_ profile: String) -> Double? {
    var summary: Double?
    for line in profile.split(separator: "\n") {
      for key in ["totals:", "summary:"] where line.hasPrefix(key) {
        let fields = line.dropFirst(key.count).split(separator: " ")
        guard let first = fields.first, let value = Double(first) else { continue }
        if key == "totals:" { return value }
        summary = value
      }
    }
    return summary
  }
}

/// The call callgrind counts: collection is toggled on when it is entered and off when it
/// returns. It must stay a real call, hence `@inline(never)`.
@inline(never)
@_silgen_name("sepbench_callgrind_counted_call")
func callgrindCountedCall(_ kernel: TimedKernel) {
  kernel.run(iterations: 1)
}
