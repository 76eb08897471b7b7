import Harness
import Testing

@Suite struct CPUTimeSampleTests {
  /// The first line of a real 2-vCPU guest's `/proc/stat` (later lines trimmed).
  static let procStat = """
    cpu  1690419 726 78333 981832 7156 0 1846 41203 0 0
    cpu0 845210 363 39166 490916 3578 0 923 20601 0 0
    intr 123456 0 9
    """

  @Test func theCPULineSplitsIntoBusyIdleAndSteal() throws {
    let sample = try #require(CPUTimeSample(procStat: Self.procStat))
    #expect(sample.busy == 1_690_419 + 726 + 78_333 + 0 + 1_846)
    #expect(sample.idle == 981_832 + 7_156)
    #expect(sample.steal == 41_203)
  }

  /// Two readings of the same guest taken around a quick-suite run: 1,189 of 6,697 ticks
  /// stolen.
  @Test func stealIsItsShareOfAllTicksBetweenTwoReadings() throws {
    let before = try #require(CPUTimeSample(procStat: Self.procStat))
    let after = try #require(
      CPUTimeSample(procStat: "cpu  1693270 726 78621 984192 7159 0 1852 42392 0 0"))
    let stolen = try #require(after.stealPercent(since: before))
    #expect(abs(stolen - 100 * 1_189 / 6_697.0) < 1e-9)
  }

  /// The body runs between the two readings, its result comes back with their share, and a
  /// failed first reading gives no share.
  @Test func measuringStealReadsAroundTheBody() {
    var readings = [
      CPUTimeSample(busy: 100, idle: 50, steal: 10), CPUTimeSample(busy: 170, idle: 70, steal: 20),
    ]
    var log: [String] = []
    let (result, steal) = CPUTimeSample.measuringSteal(read: {
      log.append("read")
      return readings.removeFirst()
    }) {
      log.append("body")
      return 42
    }
    #expect(log == ["read", "body", "read"])
    #expect(result == 42)
    #expect(steal == 10)
    let (_, none) = CPUTimeSample.measuringSteal(read: { nil }) { 0 }
    #expect(none == nil)
  }

  @Test func noTickOrACounterGoingBackwardsGivesNoShare() {
    let sample = CPUTimeSample(busy: 10, idle: 10, steal: 1)
    #expect(sample.stealPercent(since: sample) == nil)
    #expect(sample.stealPercent(since: CPUTimeSample(busy: 11, idle: 0, steal: 0)) == nil)
  }

  @Test(arguments: [
    "", "cpu0 1 2 3 4 5 6 7 8", "cpu  1 2 3 4 5 6 7", "cpu  1 2 3 x 5 6 7 8",
  ])
  func textWithoutACompleteCPULineIsRejected(text: String) {
    #expect(CPUTimeSample(procStat: text) == nil)
  }

  @Test func thisMachineIsReadableOnLinux() {
    #if os(Linux)
      #expect(CPUTimeSample.read() != nil)
    #endif
    #expect(CPUTimeSample.read(path: "/nonexistent/stat") == nil)
  }
}
