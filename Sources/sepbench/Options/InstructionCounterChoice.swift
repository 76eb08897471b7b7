import ArgumentParser
import Foundation
import Harness

/// How `run --metric instructions` counts: `PAPI_TOT_INS` where the CPU lets it, else (or when
/// asked) the whole run again under valgrind's callgrind.
enum InstructionCounterChoice: String, ExpressibleByArgument, CaseIterable {
  case auto, papi, callgrind

  /// The counter that writes `source` (`PAPI_TOT_INS`, `callgrind`) into instructions.csv.
  init?(source: String) {
    switch source {
    case "PAPI_TOT_INS": self = .papi
    case "callgrind": self = .callgrind
    default: return nil
    }
  }

  /// What the run does: count in this process, or run itself again under valgrind.
  enum Setup {
    case count(any InstructionCounting)
    case relaunchUnderValgrind(valgrind: String)
  }

  /// The counter for this process. `callgrindOutput` is set (by the relaunch) when this
  /// process runs under callgrind.
  /// - Throws: `UsageError` when the chosen counter cannot work here.
  func setup(callgrindOutput: String?) throws -> Setup {
    if let callgrindOutput { return .count(CallgrindCounting(outputFile: callgrindOutput)) }
    var papiReason = ""
    if self != .callgrind {
      let (counting, reason) = PAPIInstructionCounting.available()
      if let counting { return .count(counting) }
      papiReason = reason
      if self == .papi {
        throw UsageError(
          "--instruction-counter papi is not possible here: \(papiReason); use callgrind")
      }
    }
    guard let valgrind = ExecutableSearch.find("valgrind") else {
      let why = papiReason.isEmpty ? "" : " (\(papiReason))"
      throw UsageError(
        "--metric instructions needs valgrind here\(why) and none is on PATH; install it (Debian: apt-get install valgrind)"
      )
    }
    return .relaunchUnderValgrind(valgrind: valgrind)
  }
}

/// Runs this sepbench again, with the same arguments, under callgrind, and returns its exit
/// status (128 + n when it died of signal n).
enum ValgrindRelaunch {
  static func run(valgrind: String, arguments: [String]) throws -> Int32 {
    // A fresh folder of our own (mkdtemp): no profile of an earlier run can be read as a count.
    var template = Array(
      (FileManager.default.temporaryDirectory.path + "/sepbench-callgrind-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else {
      throw UsageError(
        "cannot make a temporary folder for callgrind's profiles: \(String(cString: strerror(errno)))"
      )
    }
    let folder = URL(fileURLWithPath: String(cString: made))
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("callgrind.out").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: valgrind)
    process.arguments =
      CallgrindCounting.valgrindArguments(outputFile: output)
      + [SelfBinary.path] + arguments + ["--callgrind-output", output]
    // The same hash seed in every process, so that dictionaries are walked, and buffers
    // allocated, in the same order each time: counts then repeat from process to process.
    var environment = ProcessInfo.processInfo.environment
    environment["SWIFT_DETERMINISTIC_HASHING"] = "1"
    process.environment = environment
    StandardStreams.error(
      "Counting instructions under callgrind (about 50x slower than a native run)\n")
    try process.run()
    // Foundation starts the child in a process group of its own, so a Ctrl-C or a kill aimed
    // at this process does not reach it: pass the first stop signal on, and end as it did.
    var forwarded = false
    while process.isRunning {
      if !forwarded, let signal = Interrupt.signalNumber() {
        kill(process.processIdentifier, signal)
        forwarded = true
      }
      usleep(20_000)
    }
    return process.terminationReason == .uncaughtSignal
      ? 128 + process.terminationStatus : process.terminationStatus
  }
}

/// Finds a program on `PATH`.
enum ExecutableSearch {
  static func find(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

extension Metric: ExpressibleByArgument {}
