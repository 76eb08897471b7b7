import Counters
import Testing

@Suite struct SoftwareEventTests {
  @Test(arguments: [
    // PAPI's default domain is user only; `:k=1` adds the kernel, `:u=0` removes user mode.
    ("perf::TASK-CLOCK", SoftwareEvent.Kind.taskClock, false, true),
    ("perf::TASK-CLOCK:u=1", .taskClock, false, true),
    ("perf::CONTEXT-SWITCHES:k=1", .contextSwitches, false, false),
    ("perf::CPU-MIGRATIONS:k=0", .cpuMigrations, false, true),
    ("perf::PAGE-FAULTS:u=0:k=1", .pageFaults, true, false),
    ("perf::PAGE-FAULTS:k=1:u=0", .pageFaults, true, false),
    ("perf::MINOR-FAULTS:u=0", .minorFaults, true, true),
    ("perf::MAJOR-FAULTS", .majorFaults, false, true),
    ("perf::CPU-CLOCK", .cpuClock, false, true),
    ("perf::CGROUP-SWITCHES:k=1", .cgroupSwitches, false, false),
    ("perf::PERF_COUNT_SW_PAGE_FAULTS_MIN", .minorFaults, false, true),
    ("perf::PERF_COUNT_SW_CONTEXT_SWITCHES:k=1", .contextSwitches, false, false),
  ])
  func qualifiersSetTheDomainAsPAPIDoes(
    name: String, kind: SoftwareEvent.Kind, excludeUser: Bool, excludeKernel: Bool
  ) throws {
    let event = try SoftwareEvent.parse(name).get()
    #expect(event.name == name)
    #expect(event.kind == kind)
    #expect(event.excludeUser == excludeUser, "\(event)")
    #expect(event.excludeKernel == excludeKernel, "\(event)")
  }

  @Test(arguments: [
    "perf::NOT-AN-EVENT", "perf::TASK-CLOK", "perf::task-clock", "perf::CS", "perf::FAULTS",
    "perf::MIGRATIONS", "perf::CYCLES", "PAPI_TOT_CYC", "TASK-CLOCK", "amd64::TASK-CLOCK",
    "perf::", "",
  ])
  func otherNamesAreNotSoftwareEvents(name: String) {
    #expect(SoftwareEvent.parse(name) == .failure(.notASoftwareEvent(name)))
  }

  @Test(arguments: [
    ("perf::TASK-CLOCK:h=1", "h=1"), ("perf::TASK-CLOCK:k", "k"), ("perf::TASK-CLOCK:k=2", "k=2"),
    ("perf::TASK-CLOCK:K=1", "K=1"), ("perf::TASK-CLOCK:period=1000", "period=1000"),
    ("perf::TASK-CLOCK:", ""), ("perf::TASK-CLOCK:k=1:", ""),
  ])
  func unsupportedQualifiersAreRejectedNamingThem(name: String, qualifier: String) {
    let result = SoftwareEvent.parse(name)
    #expect(result == .failure(.unsupportedQualifier(event: name, qualifier: qualifier)))
    if case .failure(let error) = result {
      #expect(error.description.contains("not '\(qualifier)'"))
    }
  }

  @Test func aRepeatedQualifierIsRejected() {
    let name = "perf::CONTEXT-SWITCHES:k=1:k=0"
    #expect(SoftwareEvent.parse(name) == .failure(.repeatedQualifier(event: name, qualifier: "k")))
  }

  @Test func notASoftwareEventListsTheNamesTheFallbackTakes() {
    guard case .failure(let error) = SoftwareEvent.parse("perf::CS") else {
      Issue.record("perf::CS parsed")
      return
    }
    #expect(error.description.contains("perf::CONTEXT-SWITCHES"))
    #expect(error.description.hasPrefix("'perf::CS' is not one of"))
  }
}
