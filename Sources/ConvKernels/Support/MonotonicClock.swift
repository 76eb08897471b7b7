#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The monotonic clock the sampler and the worker pool read: `clock_gettime(CLOCK_MONOTONIC)`
/// in nanoseconds.
public enum MonotonicClock {
  /// Nanoseconds since an arbitrary fixed point; never goes backwards.
  /// Inlinable, so the timed loops of other modules read the clock without a call.
  @inlinable @inline(__always)
  public static func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }
}
