#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The monotonic clock the sampler reads: `clock_gettime(CLOCK_MONOTONIC)` in nanoseconds.
public enum MonotonicClock {
  /// Nanoseconds since an arbitrary fixed point; never goes backwards.
  @inline(__always)
  public static func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }
}
