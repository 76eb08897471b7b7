import Counters
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The reason PAPI's perf_event component is disabled here, or nil (then PAPI counts the
/// software events itself and the fallback is not used).
private let perfEventDisabled = RealCounterPlans.shared.perfEventDisabled

/// The software events the fallback takes, in the spellings the default run uses and more.
private let softwareEvents = [
  "perf::TASK-CLOCK", "perf::PAGE-FAULTS", "perf::CONTEXT-SWITCHES:k=1",
  "perf::CPU-MIGRATIONS:k=1", "perf::CONTEXT-SWITCHES", "perf::MINOR-FAULTS:u=0:k=1",
  "perf::MAJOR-FAULTS", "perf::PERF_COUNT_SW_CPU_CLOCK",
]

/// A plan whose only group holds `events` and is counted by `perf_event_open`.
private func perfPlan(_ events: [String]) -> CounterPlan {
  CounterPlan(
    events: events,
    availability: events.map {
      EventAvailability(
        event: $0, status: .available, papiError: nil, reason: "", source: .perfEventOpen)
    },
    groups: [events], isMultiplexed: false, multiplexingNote: nil, groupSources: [.perfEventOpen])
}

#if PAPI
  private let perfEventOpenWorks: Bool = {
    if case .success = PerfEventBackend().tryCounting(["perf::TASK-CLOCK"]) { return true }
    return false
  }()
#endif

/// Runs worker 0 on the calling thread (a one-worker pool).
private func onCaller(_ body: (Int) -> Void) { body(0) }

/// Runs workers 0 and 1 one after the other on the calling thread.
private func twoWorkersOnCaller(_ body: (Int) -> Void) {
  body(0)
  body(1)
}

private let contextSwitchPlan = RealCounterPlans.shared.contextSwitches

@Suite struct PerfEventFallbackTests {
  #if PAPI
    @Test(arguments: softwareEvents)
    func probeAgreesWithTheSystemCall(event: String) throws {
      let probe = EventProbe.probe(event)
      guard let disabled = perfEventDisabled else {
        #expect(probe.source == .papi, "PAPI's perf_event works here; no fallback")
        return
      }
      #expect(probe.source == .perfEventOpen)
      let direct = PerfEventBackend().tryCounting([event])
      switch direct {
      case .success:
        #expect(probe.status == .available)
        #expect(probe.reason == "\(CounterReason.perfEventOpen) (\(disabled))")
      case .failure(let error):
        #expect(probe.status == .cannotCount)
        #expect(probe.papiError == error)
        #expect(probe.reason.hasPrefix(CounterReason.perfEventOpenFailed + ": " + error.text))
        #expect(probe.reason.contains("perf_event_paranoid="))
      }
    }

    @Test func fallbackEventsGetGroupsOfTheirOwnAndARecordSayingWhy() throws {
      let plan = CounterPlan(events: EventProbe.defaultEvents)
      #expect(plan.groupSources.count == plan.groups.count)
      for (index, group) in plan.groups.enumerated() {
        for event in group {
          #expect(plan.availability(of: event)?.source == plan.groupSources[index], "\(event)")
        }
      }
      // PAPI groups first, then the perf_event_open ones.
      #expect(plan.groupSources == plan.groupSources.sorted { $0 == .papi && $1 != .papi })
      for record in plan.measurements where record.method == .perfEventOpen {
        let group = try #require(record.group)
        #expect(plan.groupSources[group] == .perfEventOpen)
        #expect(record.reason?.hasPrefix(CounterReason.perfEventOpen) == true)
      }
      if perfEventDisabled != nil {
        let counted = plan.availability.filter(\.isAvailable).map(\.event)
        #expect(counted.allSatisfy { $0.hasPrefix("perf::") }, "\(counted)")
        #expect(plan.measurements.filter { $0.method == .perfEventOpen }.map(\.event) == counted)
      }
    }

    @Test(
      .enabled(
        if: contextSwitchPlan.groups.joined().count == 2,
        "perf::CONTEXT-SWITCHES(:k=1) cannot be counted here (kernel mode needs perf_event_paranoid <= 1 or CAP_PERFMON)"
      ))
    func contextSwitchesCountOnlyInTheKernelDomain() throws {
      let session = CounterSession(plan: contextSwitchPlan, workers: 1)
      var counts: [String: CounterValue] = [:]
      for group in contextSwitchPlan.groups.indices {
        counts.merge(
          session.count(group: group, onEachWorker: onCaller) {
            for _ in 0..<100 { usleep(200) }  // each sleep is a voluntary context switch
          }
        ) { a, _ in a }
      }
      session.release(worker: 0)
      let user = try #require(counts["perf::CONTEXT-SWITCHES"]?.count)
      let kernel = try #require(counts["perf::CONTEXT-SWITCHES:k=1"]?.count)
      #expect(user == 0, "user-mode domain (PAPI's default) never sees a context switch")
      // Nearly every sleep blocks; one whose timer has expired before the thread sleeps does
      // not (seen: 99 of 100), so the bound leaves room for a few.
      #expect(kernel >= 90, "\(kernel) context switches for 100 sleeps")
    }

    @Test(.enabled(if: perfEventDisabled != nil, "PAPI's perf_event component works here"))
    func aQualifierTheFallbackDoesNotTakeKeepsTheComponentDisabledCase() {
      let probe = EventProbe.probe("perf::TASK-CLOCK:h=1")
      #expect(probe.status == .componentDisabled)
      #expect(probe.reason.hasPrefix(CounterReason.componentDisabled))
      #expect(probe.reason.contains("not 'h=1'"), "\(probe.reason)")
    }

    @Test(.enabled(if: perfEventOpenWorks, "perf_event_open(TASK-CLOCK) fails here"))
    func perfEventOpenGroupCountsTwoEventsInOrder() throws {
      let plan = perfPlan(["perf::PAGE-FAULTS", "perf::TASK-CLOCK"])
      let session = CounterSession(plan: plan, workers: 1)
      let bytes = 16 << 20
      let counts = session.count(group: 0, onEachWorker: onCaller) {
        // A fresh anonymous mapping, not `allocate`: after large frees, malloc serves 16 MiB
        // from pages it already touched (its mmap threshold grows), and those never fault.
        // No huge pages either, so every 4 KiB page faults once.
        let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        _ = madvise(memory, bytes, MADV_NOHUGEPAGE)
        memset(memory, 1, bytes)
        munmap(memory, bytes)
      }
      session.release(worker: 0)
      let faults = try #require(counts["perf::PAGE-FAULTS"]?.count)
      let clock = try #require(counts["perf::TASK-CLOCK"]?.count)
      let pages = Int64(bytes / 4096)
      #expect(faults >= pages / 2 && faults <= pages * 4, "\(faults) faults for \(pages) pages")
      #expect(clock > 100_000, "\(clock) ns for touching 16 MiB")
    }
  #else
    @Test func theFallbackIsBuiltWithoutPAPITooAndSaysSo() {
      let session = CounterSession(plan: perfPlan(["perf::TASK-CLOCK"]), workers: 1)
      let counts = session.count(group: 0, onEachWorker: onCaller) {}
      guard case .unavailable(let reason)? = counts["perf::TASK-CLOCK"] else {
        Issue.record("expected unavailable, got \(String(describing: counts["perf::TASK-CLOCK"]))")
        return
      }
      #expect(reason.contains(CounterReason.builtWithoutPAPI))
    }
  #endif

  @Test func aNameTheFallbackCannotOpenIsUnavailableNotZero() {
    let session = CounterSession(plan: perfPlan(["perf::TASK-CLOCK:h=1"]), workers: 2)
    let counts = session.count(group: 0, onEachWorker: twoWorkersOnCaller) {}
    guard case .unavailable(let reason)? = counts["perf::TASK-CLOCK:h=1"] else {
      Issue.record(
        "expected unavailable, got \(String(describing: counts["perf::TASK-CLOCK:h=1"]))")
      return
    }
    #expect(reason.hasPrefix("worker 0: ") && reason.contains("not 'h=1'"), "\(reason)")
  }

  @Test func hintsNameTheSettingThatBlocks() throws {
    let kernel = try SoftwareEvent.parse("perf::CONTEXT-SWITCHES:k=1").get()
    let user = try SoftwareEvent.parse("perf::TASK-CLOCK").get()
    let kernelHint = try #require(EventProbe.hint(kernel, errno: EACCES, paranoid: 2))
    #expect(kernelHint.contains("perf_event_paranoid=2") && kernelHint.contains("CAP_PERFMON"))
    let strictHint = try #require(EventProbe.hint(user, errno: EACCES, paranoid: 3))
    #expect(strictHint.contains("perf_event_paranoid=3"))
    #expect(EventProbe.hint(user, errno: EPERM, paranoid: 2)?.contains("seccomp") == true)
    #expect(
      EventProbe.hint(user, errno: ENOENT, paranoid: 2)?.contains("PERF_COUNT_SW_TASK_CLOCK")
        == true)
    #expect(EventProbe.hint(user, errno: EBADF, paranoid: 2) == nil)
  }
}
