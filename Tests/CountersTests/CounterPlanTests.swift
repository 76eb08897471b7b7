import Counters
import Testing

@Suite struct CounterPlanTests {
  /// A PMU with 4 counters; `perf::` events are software events and use none.
  private func fitsFourCounters(_ events: [String]) -> Bool {
    events.filter { !$0.hasPrefix("perf::") }.count <= 4
  }

  @Test func tooManyHardwareEventsAreSplitIntoGroupsInOrder() {
    let events = (1...9).map { "HW\($0)" }
    let split = CounterPlan.group(events, fits: fitsFourCounters)
    #expect(
      split.groups == [["HW1", "HW2", "HW3", "HW4"], ["HW5", "HW6", "HW7", "HW8"], ["HW9"]])
    #expect(split.rejected.isEmpty)
  }

  @Test func softwareEventsJoinTheFirstGroup() {
    let events = ["A", "B", "C", "D", "E", "perf::TASK-CLOCK", "perf::PAGE-FAULTS"]
    let split = CounterPlan.group(events, fits: fitsFourCounters)
    #expect(
      split.groups == [["A", "B", "C", "D", "perf::TASK-CLOCK", "perf::PAGE-FAULTS"], ["E"]])
  }

  @Test func anEventThatNeverFitsIsRejected() {
    let split = CounterPlan.group(["A", "HUGE", "B"]) { !$0.contains("HUGE") }
    #expect(split.groups == [["A", "B"]])
    #expect(split.rejected == ["HUGE"])
  }

  @Test func measurementRecordsSayGroupOrWhyNot() {
    let plan = CounterPlan(
      events: ["A", "B", "C", "PAPI_TOT_CYC"],
      availability: [
        EventAvailability(event: "A", status: .available, papiError: nil, reason: ""),
        EventAvailability(event: "B", status: .available, papiError: nil, reason: ""),
        EventAvailability(event: "C", status: .available, papiError: nil, reason: ""),
        EventAvailability(
          event: "PAPI_TOT_CYC", status: .cannotCount, papiError: nil, reason: "no PMU"),
      ],
      groups: [["A", "B"], ["C"]], isMultiplexed: false, multiplexingNote: nil)
    #expect(
      plan.measurements == [
        EventMeasurement(event: "A", method: .group, group: 0, reason: nil),
        EventMeasurement(event: "B", method: .group, group: 0, reason: nil),
        EventMeasurement(event: "C", method: .group, group: 1, reason: nil),
        EventMeasurement(event: "PAPI_TOT_CYC", method: .unavailable, group: nil, reason: "no PMU"),
      ])
    #expect(plan.measurements[3].column == "ctr_PAPI_TOT_CYC")
  }

  @Test func perfEventOpenGroupsRecordTheirMethodAndWhyPAPIIsBypassed() {
    let note = CounterReason.perfEventOpen + " (Error libpfm4 no default PMU found)"
    let plan = CounterPlan(
      events: ["A", "perf::TASK-CLOCK", "perf::PAGE-FAULTS"],
      availability: [
        EventAvailability(event: "A", status: .available, papiError: nil, reason: ""),
        EventAvailability(
          event: "perf::TASK-CLOCK", status: .available, papiError: nil, reason: note,
          source: .perfEventOpen),
        EventAvailability(
          event: "perf::PAGE-FAULTS", status: .available, papiError: nil, reason: note,
          source: .perfEventOpen),
      ],
      groups: [["A"], ["perf::TASK-CLOCK", "perf::PAGE-FAULTS"]], isMultiplexed: true,
      multiplexingNote: nil, groupSources: [.papi, .perfEventOpen])
    #expect(
      plan.measurements == [
        EventMeasurement(event: "A", method: .multiplexed, group: 0, reason: nil),
        EventMeasurement(event: "perf::TASK-CLOCK", method: .perfEventOpen, group: 1, reason: note),
        EventMeasurement(
          event: "perf::PAGE-FAULTS", method: .perfEventOpen, group: 1, reason: note),
      ])
    #expect(EventMeasurement.Method.perfEventOpen.rawValue == "perf_event_open")
  }

  @Test func realPlanRecordsEveryRequestedEvent() {
    let plan = CounterPlan(events: EventProbe.defaultEvents)
    #expect(plan.measurements.map(\.event) == EventProbe.defaultEvents)
    for (record, probe) in zip(plan.measurements, plan.availability) {
      #expect((record.method == .unavailable) == !probe.isAvailable, "\(record)")
      #expect(record.method != .unavailable || record.reason?.isEmpty == false)
    }
    #expect(Set(plan.groups.joined()) == Set(plan.availability.filter(\.isAvailable).map(\.event)))
  }

  @Test func multiplexingRequestRecordsWhyItWasNotUsed() {
    let plan = CounterPlan(events: EventProbe.defaultEvents, multiplex: true)
    if !plan.isMultiplexed { #expect(plan.multiplexingNote != nil) }
  }
}

@Suite struct CounterPlanDuplicateTests {
  @Test(arguments: ["perf::TASK-CLOCK", "PAPI_TOT_CYC"])
  func anEventNamedTwiceIsCountedOnce(event: String) {
    let plan = CounterPlan(events: [event, "perf::PAGE-FAULTS", event])
    #expect(plan.events == [event, "perf::PAGE-FAULTS"])
    #expect(plan.availability.map(\.event) == [event, "perf::PAGE-FAULTS"])
    #expect(plan.measurements.map(\.event) == [event, "perf::PAGE-FAULTS"])
    #expect(plan.groups.joined().filter { $0 == event }.count <= 1)
  }
}
