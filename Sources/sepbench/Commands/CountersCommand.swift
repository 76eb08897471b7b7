import ArgumentParser
import Counters
import Foundation

/// `sepbench counters [--events a,b,…] [--cost]`: which counters work here, and why not.
struct CountersCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "counters",
    abstract: "Probe PAPI here: each event available or not, and why.")

  @Option(
    help: ArgumentHelp(
      "Comma-separated PAPI preset or native event names (default: the run's default events).",
      valueName: "events"))
  var events: String?

  @Flag(help: "Also measure what creating, starting/stopping and reading an event set costs.")
  var cost = false

  func run() throws {
    let names =
      events.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
      ?? EventProbe.defaultEvents
    let probe = EventProbe.probe(names.filter { !$0.isEmpty })
    if let unknown = probe.first(where: { $0.status == .unknownName }) {
      throw UnknownEventError(event: unknown.event, papiText: unknown.papiError?.text)
    }
    let environment = CounterEnvironment.current
    print(CountersReport.header(environment))
    print(CountersReport.table(probe))
    print(CountersReport.explanation(environment, probe))
    if cost {
      let plan = CounterPlan(events: probe.filter(\.isAvailable).map(\.event))
      print(
        CountersReport.cost(
          CounterCost(events: plan.groups.first ?? [], source: plan.groupSources.first ?? .papi)))
    }
  }
}

/// An event name PAPI does not know (`EventAvailability.Status.unknownName`): bad input.
struct UnknownEventError: BadInput {
  let event: String
  let papiText: String?
  var description: String {
    "unknown event name '\(event)'"
      + (papiText.map { " (PAPI: \($0))" } ?? "")
      + "; run `sepbench counters` or `papi_native_avail` to see valid names"
  }
}

/// Text of `sepbench counters`: plain tables and a short explanation for newcomers.
enum CountersReport {
  static func header(_ env: CounterEnvironment) -> String {
    var lines: [String] = []
    if !env.builtWithPAPI {
      lines.append("PAPI:                 built without PAPI (trait PAPI off, or not Linux)")
    } else if let error = env.libraryError {
      lines.append("PAPI:                 failed to initialise: \(error)")
    } else {
      lines.append("PAPI:                 \(env.papiVersion ?? "unknown version")")
    }
    lines.append(
      "virtual machine:      \(env.virtualMachine.map { "yes (\($0))" } ?? "not detected")")
    lines.append("perf_event_paranoid:  \(env.perfEventParanoid.map(String.init) ?? "unreadable")")
    for component in env.disabledComponents where component.hasPrefix("perf_event") {
      lines.append("disabled component:   \(component)")
    }
    lines.append(
      "multiplexing:         "
        + (env.multiplexingError.map { "unavailable (\($0))" } ?? "available"))
    return lines.joined(separator: "\n") + "\n"
  }

  static func table(_ probe: [EventAvailability]) -> String {
    let width = max(probe.map(\.event.count).max() ?? 0, "EVENT".count) + 2
    let statusWidth = 20
    let viaWidth = 17
    func pad(_ s: String, _ n: Int) -> String {
      s + String(repeating: " ", count: max(n - s.count, 1))
    }
    var lines = [
      pad("EVENT", width) + pad("STATUS", statusWidth) + pad("VIA", viaWidth) + "WHY"
    ]
    for item in probe {
      let via =
        item.status == .available || item.status == .cannotCount ? item.source.rawValue : "-"
      lines.append(
        pad(item.event, width) + pad(item.status.rawValue, statusWidth) + pad(via, viaWidth)
          + why(item))
    }
    let available = probe.filter(\.isAvailable).count
    lines.append("\n\(available) of \(probe.count) events can be counted here.")
    return lines.joined(separator: "\n")
  }

  /// The WHY cell: short, since the machine context is printed once above; the full reason
  /// goes to meta.json.
  private static func why(_ item: EventAvailability) -> String {
    switch (item.status, item.source) {
    case (.available, .papi):
      return "counts on this machine"
    case (.available, .perfEventOpen):
      return "counts here; PAPI's perf_event component is disabled, so read directly"
    case (.noPAPI, _):
      return item.reason
    case (.cannotCount, .perfEventOpen):
      let error = item.papiError.map { "\($0.text) (\($0.call))" } ?? item.reason
      guard case .success(let event) = SoftwareEvent.parse(item.event),
        let code = item.papiError?.code,
        let hint = EventProbe.hint(
          event, errno: code, paranoid: CounterEnvironment.current.perfEventParanoid)
      else { return error }
      return "\(error); \(hint)"
    case (.componentDisabled, _):
      let base = "\(item.papiError?.text ?? item.reason) (\(item.papiError?.call ?? "PAPI"))"
      if case .failure(let parse) = SoftwareEvent.parse(item.event) {
        if case .notASoftwareEvent = parse { return base }
        return "\(base); \(parse)"
      }
      return base
    default:
      return "\(item.papiError?.text ?? item.reason) (\(item.papiError?.call ?? "PAPI"))"
    }
  }

  static func explanation(_ env: CounterEnvironment, _ probe: [EventAvailability]) -> String {
    var text = ["", "What this means:"]
    if !env.builtWithPAPI {
      text.append(
        "  This sepbench was built without PAPI, so no counter is read. Rebuild with the default"
          + " traits on Linux after `apt install libpapi-dev`.")
      return text.map { wrap($0, width: 100) }.joined(separator: "\n")
    }
    let hardwareMissing = probe.contains { $0.event.hasPrefix("PAPI_") && !$0.isAvailable }
    if hardwareMissing, env.virtualMachine != nil {
      text.append(
        "  Hardware events (cycles, instructions, cache misses) come from the CPU's performance"
          + " monitoring unit (PMU). This is a virtual machine and its hypervisor does not pass"
          + " the PMU through, so PAPI finds no hardware counters. Timings are still valid;"
          + " counter columns in results.csv stay empty, with the reason in meta.json.")
    }
    if env.perfEventDisabledReason != nil {
      let direct = probe.filter { $0.source == .perfEventOpen }
      let counted = direct.filter(\.isAvailable).map(\.event)
      var line =
        "  PAPI's perf_event component is disabled (line above), so PAPI cannot read even the"
        + " kernel's software events here."
      if !counted.isEmpty {
        line +=
          " The kernel still counts them for a thread that asks about itself, so sepbench reads"
          + " the software events (\(counted.joined(separator: ", "))) straight from the kernel"
          + " with the perf_event_open system call, on every worker thread, with PAPI's names"
          + " and PAPI's user/kernel domain (user mode only unless :k=1). meta.json records"
          + " their method as \"perf_event_open\"."
      }
      if direct.contains(where: { !$0.isAvailable }) {
        line += " perf_event_open refused some of them as well; WHY says why."
      }
      text.append(line)
    }
    text.append(
      "  On bare metal (or a VM with PMU passthrough, e.g. KVM `-cpu host,pmu=on`):"
        + " perf_event_paranoid must be 2 or lower to count your own threads in user space"
        + " (1 also allows kernel-mode counts, needed for :k=1 events); lower it with"
        + " `sudo sysctl kernel.perf_event_paranoid=1`, or grant the binary CAP_PERFMON"
        + " (`sudo setcap cap_perfmon+ep sepbench`, Linux 5.8+). In a container, the seccomp"
        + " profile must allow perf_event_open.")
    text.append(
      "  `papi_avail` lists presets, `papi_native_avail` native names, and"
        + " `papi_command_line EVENT` tries one.")
    return text.map { wrap($0, width: 100) }.joined(separator: "\n")
  }

  /// Wraps `line` at spaces to `width` columns, keeping its leading indentation.
  private static func wrap(_ line: String, width: Int) -> String {
    let indent = String(line.prefix { $0 == " " })
    var lines: [String] = []
    var current = indent
    for word in line.split(separator: " ") {
      if current.count + word.count + 1 > width, current.count > indent.count {
        lines.append(current)
        current = indent + "  "
      }
      current += (current.isEmpty || current.hasSuffix(" ") ? "" : " ") + word
    }
    lines.append(current)
    return lines.joined(separator: "\n")
  }

  static func cost(_ cost: CounterCost) -> String {
    var lines = [
      "",
      "Overhead (median on this thread; event set: "
        + (cost.events.isEmpty ? "none countable" : cost.events.joined(separator: ", ")) + ")",
    ]
    for item in cost.items {
      let value =
        item.medianNanoseconds.map { formatNanoseconds($0) + " (\(item.samples) samples)" }
        ?? "not measured: \(item.note ?? "")"
      lines.append("  " + item.operation.padding(toLength: 44, withPad: " ", startingAt: 0) + value)
    }
    return lines.joined(separator: "\n")
  }

  private static func formatNanoseconds(_ ns: Double) -> String {
    ns >= 10_000
      ? "\((ns / 1000).rounded()) µs".replacingOccurrences(of: ".0 ", with: " ")
      : "\(Int(ns.rounded())) ns"
  }
}
