import Counters
import Foundation
import Testing

/// Runs `papi_command_line <event>` and returns (added, PAPI's "because:" text), or nil when
/// the tool is not installed.
private func papiCommandLine(_ event: String) -> (added: Bool, because: String?)? {
  let tool = "/usr/bin/papi_command_line"
  guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: tool)
  process.arguments = [event]
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  guard (try? process.run()) != nil else { return nil }
  let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  let lines = output.split(separator: "\n").map(String.init)
  let because = lines.first { $0.hasPrefix("because: ") }.map { String($0.dropFirst(9)) }
  let added = lines.contains("Successfully added: \(event)") && process.terminationStatus == 0
  return (added, because)
}

private let hasPAPITools = FileManager.default.isExecutableFile(
  atPath: "/usr/bin/papi_command_line")

@Suite struct EventProbeTests {
  #if PAPI
    @Test(
      .enabled(if: hasPAPITools, "needs papi_command_line (papi-tools)"),
      arguments: EventProbe.defaultEvents + ["PAPI_NOT_AN_EVENT", "perf::NOT-AN-EVENT"])
    func probeAgreesWithPapiCommandLine(event: String) throws {
      let reference = try #require(papiCommandLine(event))
      let probe = EventProbe.probe(event)
      if probe.source == .perfEventOpen {
        // PAPI cannot count it here (perf_event disabled); the fallback decides, and
        // PerfEventFallbackTests checks it against the system call.
        #expect(!reference.added, "PAPI counts \(event) itself, yet the probe bypassed it")
        return
      }
      #expect(probe.isAvailable == reference.added, "\(probe.reason)")
      if !reference.added {
        #expect(!probe.reason.isEmpty)
      }
      // Same call (PAPI_add_event), same text. For names that do not resolve the probe
      // reports PAPI_event_name_to_code, whose text differs from the add's and even between
      // runs ("Not supported" vs "Not supported by component" for PAPI_NOT_AN_EVENT).
      if probe.status == .cannotCount {
        #expect(probe.papiError?.text == reference.because, "\(event)")
      }
    }

    @Test func misspeltPresetIsReportedAsUnknownName() {
      let probe = EventProbe.probe("PAPI_TOT_CYK")
      #expect(probe.status == .unknownName)
      #expect(probe.reason.hasPrefix(CounterReason.unknownName))
    }

    @Test func misspeltNativeNameIsUnknownOrUnverifiable() {
      // With perf_event disabled (no PMU) PAPI cannot tell a misspelt native name from a valid
      // one, and the probe says so instead of guessing.
      let probe = EventProbe.probe("perf::TASK-CLOK")
      let perfDisabled = CounterEnvironment.current.disabledComponents.contains {
        $0.hasPrefix("perf_event:")
      }
      #expect(probe.status == (perfDisabled ? .componentDisabled : .unknownName))
    }

    @Test func unavailableKnownPresetNamesTheCaseAndTheContext() throws {
      let probe = EventProbe.probe("PAPI_TOT_CYC")
      try #require(!probe.isAvailable)
      #expect(probe.status == .cannotCount)
      #expect(probe.reason.hasPrefix(CounterReason.cannotCount))
      #expect(probe.reason.contains(try #require(probe.papiError).text))
    }

    @Test func environmentReportsPAPIVersionAndParanoid() {
      let environment = CounterEnvironment.current
      #expect(environment.builtWithPAPI)
      #expect(environment.papiVersion?.hasPrefix("7.") == true || environment.papiVersion != nil)
      let paranoid = try? String(
        contentsOfFile: "/proc/sys/kernel/perf_event_paranoid", encoding: .utf8)
      #expect(
        environment.perfEventParanoid
          == paranoid.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
    }
  #else
    @Test func everyEventIsUnavailableBuiltWithoutPAPI() {
      for probe in EventProbe.probe(EventProbe.defaultEvents + ["PAPI_NOT_AN_EVENT"]) {
        #expect(probe.status == .noPAPI)
        #expect(probe.reason == CounterReason.builtWithoutPAPI)
      }
      #expect(!CounterEnvironment.current.builtWithPAPI)
      #expect(CounterEnvironment.current.contextNote == "built without PAPI")
    }

    @Test func sessionValuesAreUnavailableBuiltWithoutPAPI() {
      let plan = CounterPlan(
        events: ["perf::TASK-CLOCK"],
        availability: [
          EventAvailability(
            event: "perf::TASK-CLOCK", status: .available, papiError: nil, reason: "")
        ],
        groups: [["perf::TASK-CLOCK"]], isMultiplexed: false, multiplexingNote: nil)
      let session = CounterSession(plan: plan, workers: 1)
      session.start(worker: 0, group: 0)
      session.stop(worker: 0, group: 0)
      guard case .unavailable(let reason)? = session.totals(group: 0)["perf::TASK-CLOCK"] else {
        Issue.record("expected unavailable")
        return
      }
      #expect(reason.contains(CounterReason.builtWithoutPAPI))
    }
  #endif
}
