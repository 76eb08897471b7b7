import ConvKernels
import Foundation
import Harness

/// Progress on stderr: a bar with case count and ETA on a terminal, one plain line per case
/// otherwise (logs, CI).
struct ProgressDisplay {
  let total: Int
  let isTerminal = isatty(STDERR_FILENO) != 0
  private var done = 0
  private let start = MonotonicClock.now()

  init(total: Int) { self.total = total }

  mutating func advance(_ rows: [CaseResult]) {
    for row in rows {
      done += 1
      if !isTerminal {
        Self.write("[\(done)/\(total)] \(row.caseName) \(row.variantID): \(Self.outcome(row))\n")
      }
    }
    if isTerminal, let last = rows.last { drawBar(current: last.caseName) }
  }

  func finish() { if isTerminal { Self.write("\n") } }

  private func drawBar(current: String) {
    let width = 30
    let filled = total == 0 ? width : width * done / total
    let elapsed = Double(MonotonicClock.now() - start) / 1e9
    let remaining = done == 0 ? 0 : elapsed / Double(done) * Double(total - done)
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    Self.write("\r[\(bar)] \(done)/\(total) cases  ETA \(Self.clock(remaining))  \(current)   ")
  }

  static func outcome(_ row: CaseResult) -> String {
    switch row.status {
    case .ok where row.instructions != nil:
      return String(format: "%.0f instructions", row.instructions!)
        + " (\(row.instructionSource ?? ""))"
    case .ok:
      let median = row.statistics.map { String(format: "%.4f ms", $0.median / 1e6) } ?? ""
      let rate = row.gflops.map { String(format: "%.1f GFLOP/s", $0) } ?? ""
      return "\(median)  \(rate)"
    case .failed:
      return row.note.hasPrefix(Runner.notCountedPrefix)
        ? "FAILED: \(row.note)" : "FAILED validation"
    case .skipped: return "skipped (\(row.note))"
    }
  }

  static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
  }

  static func write(_ text: String) { StandardStreams.error(text) }
}
