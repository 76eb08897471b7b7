import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// CPU time of the calling thread, in ns, from `getrusage(RUSAGE_THREAD)` (user + system).
func threadRusageNanoseconds() -> Int64 {
  var usage = rusage()
  getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD (a GNU extension, not imported)
  func ns(_ t: timeval) -> Int64 { Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_usec) * 1000 }
  return ns(usage.ru_utime) + ns(usage.ru_stime)
}

/// CPU time of the calling thread from `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`.
func threadClockNanoseconds() -> Int64 {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
}

/// Spins until the calling thread has used `nanoseconds` of CPU.
func burnCPU(nanoseconds: Int64) {
  let end = threadClockNanoseconds() + nanoseconds
  var x: UInt64 = 1
  while threadClockNanoseconds() < end {
    for _ in 0..<1000 { x = x &* 6_364_136_223_846_793_005 &+ 1 }
  }
  blackHole(x)
}

@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Accumulates a per-thread quantity measured on several threads.
final class AtomicSum: Sendable {
  private let total = Atomic<Int64>(0)
  func add(_ value: Int64) { total.add(value, ordering: .relaxed) }
  var value: Int64 { total.load(ordering: .relaxed) }
}
