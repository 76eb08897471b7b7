import Foundation

/// The CPU time this machine's CPUs have spent, summed over CPUs, from the first line of
/// Linux's `/proc/stat` (in `USER_HZ` ticks, 10 ms on the usual kernels).
///
/// On a virtual machine, `steal` counts the time a vCPU was ready to run but the hypervisor
/// ran something else: another guest, or host work. Two readings around a measurement give
/// the share of its time that was stolen (`stealPercent(since:)`, the `st` of `top` and
/// `vmstat`). A stolen millisecond stops the timed thread, or the worker it waits for, so
/// cases measured while the share is high are slow for reasons no kernel controls.
public struct CPUTimeSample: Sendable, Equatable {
  /// Ticks in user, nice, system, irq and softirq time.
  public let busy: UInt64
  /// Ticks in idle and iowait time.
  public let idle: UInt64
  /// Ticks stolen by the hypervisor.
  public let steal: UInt64

  public init(busy: UInt64, idle: UInt64, steal: UInt64) {
    self.busy = busy
    self.idle = idle
    self.steal = steal
  }

  /// Parses the `cpu` line of `/proc/stat` text:
  /// `cpu user nice system idle iowait irq softirq steal ...`. Nil when the line is missing
  /// or has fewer than eight numbers (kernels before 2.6.11 have no steal field).
  public init?(procStat text: String) {
    guard
      let line = text.split(separator: "\n").first(where: {
        $0.split(separator: " ", omittingEmptySubsequences: true).first == "cpu"
      })
    else { return nil }
    let numbers = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst()
      .prefix(8).compactMap { UInt64($0) }
    guard numbers.count == 8 else { return nil }
    busy = numbers[0] + numbers[1] + numbers[2] + numbers[5] + numbers[6]
    idle = numbers[3] + numbers[4]
    steal = numbers[7]
  }

  /// The current reading of `path`, or nil where it cannot be read or parsed (not Linux).
  public static func read(path: String = "/proc/stat") -> CPUTimeSample? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    return CPUTimeSample(procStat: text)
  }

  /// Runs `body` between two readings from `read` and returns its result with the share of CPU
  /// time stolen meanwhile (nil when either reading failed).
  public static func measuringSteal<Result>(
    read: () -> CPUTimeSample? = { CPUTimeSample.read() }, _ body: () throws -> Result
  ) rethrows -> (result: Result, stealPercent: Double?) {
    let before = read()
    let result = try body()
    return (result, before.flatMap { before in read()?.stealPercent(since: before) })
  }

  /// Percent of all CPU time between `earlier` and this reading that was stolen:
  /// `100 * steal / (busy + idle + steal)` over the interval. Nil when no tick passed, or
  /// when a counter went backwards (readings from different machines or a reset).
  public func stealPercent(since earlier: CPUTimeSample) -> Double? {
    guard busy >= earlier.busy, idle >= earlier.idle, steal >= earlier.steal else { return nil }
    let stolen = steal - earlier.steal
    let total = (busy - earlier.busy) + (idle - earlier.idle) + stolen
    guard total > 0 else { return nil }
    return 100 * Double(stolen) / Double(total)
  }
}
