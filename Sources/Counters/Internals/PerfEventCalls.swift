#if PAPI && canImport(CPAPI)
  import CPAPI
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Every `perf_event_open(2)` call of the package, for the software events PAPI cannot reach
/// when its perf_event component is disabled (a VM without a PMU: libpfm4 finds no default PMU
/// and PAPI then refuses even `perf::TASK-CLOCK`, although the kernel counts it).
///
/// Like `PAPICalls`, each call returns `Result<_, PAPIError>`; here `PAPIError.code` is the
/// positive `errno` (PAPI's own codes are negative), `call` the system call and `text`
/// `strerror(errno)`. The C entry points are the `cpapi_perf_*` shims in `cpapi.h`, so the
/// fallback exists only where CPAPI does (the `PAPI` trait, on Linux); without it every call
/// fails with `PAPIError.builtWithoutPAPI`.
///
/// One event group per event set: the first event is the group leader, the others its
/// siblings, all counting the calling thread only (pid 0, cpu -1, no inherit) and opened
/// disabled and close-on-exec. `reset`, `enable` and `disable` act on the whole group
/// (`PERF_IOC_FLAG_GROUP`) and one `read` of the leader returns every count
/// (`PERF_FORMAT_GROUP`).
package enum PerfEventCalls {
  /// `perf_event_open` for `event` on the calling thread; `leader` is the group leader's file
  /// descriptor, or -1 to open a new leader. Returns the new file descriptor.
  package static func open(_ event: SoftwareEvent, leader: Int32) -> Result<Int32, PAPIError> {
    #if PAPI && canImport(CPAPI)
      var attr = perf_event_attr()
      attr.type = PERF_TYPE_SOFTWARE.rawValue
      attr.size = UInt32(MemoryLayout<perf_event_attr>.size)
      attr.config = UInt64(config(event.kind))
      attr.read_format = UInt64(PERF_FORMAT_GROUP.rawValue)
      attr.disabled = leader < 0 ? 1 : 0  // siblings follow their leader
      attr.exclude_user = event.excludeUser ? 1 : 0
      attr.exclude_kernel = event.excludeKernel ? 1 : 0
      attr.exclude_hv = 1
      let fd = cpapi_perf_event_open(&attr, 0, -1, leader, UInt(PERF_FLAG_FD_CLOEXEC))
      return fd >= 0 ? .success(fd) : .failure(error("perf_event_open", event.name))
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `ioctl(leader, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP)`: zeroes every count of the
  /// group.
  package static func reset(_ leader: Int32) -> Result<Void, PAPIError> {
    #if PAPI && canImport(CPAPI)
      return groupIoctl(leader, cpapi_perf_ioc_reset(), "PERF_EVENT_IOC_RESET")
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `ioctl(leader, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP)`: starts the group counting.
  package static func enable(_ leader: Int32) -> Result<Void, PAPIError> {
    #if PAPI && canImport(CPAPI)
      return groupIoctl(leader, cpapi_perf_ioc_enable(), "PERF_EVENT_IOC_ENABLE")
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `ioctl(leader, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP)`: stops the group counting.
  package static func disable(_ leader: Int32) -> Result<Void, PAPIError> {
    #if PAPI && canImport(CPAPI)
      return groupIoctl(leader, cpapi_perf_ioc_disable(), "PERF_EVENT_IOC_DISABLE")
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `read(leader)` with `PERF_FORMAT_GROUP`: `{ u64 nr; u64 values[nr]; }`, the values in
  /// the order the events were opened. Fails unless `nr == count`.
  package static func read(_ leader: Int32, count: Int) -> Result<[Int64], PAPIError> {
    #if PAPI && canImport(CPAPI)
      var buffer = [UInt64](repeating: 0, count: count + 1)
      let bytes = buffer.withUnsafeMutableBytes { Glibc.read(leader, $0.baseAddress, $0.count) }
      if bytes < 0 { return .failure(error("read")) }
      guard bytes == MemoryLayout<UInt64>.size * (count + 1), buffer[0] == UInt64(count) else {
        return .failure(
          PAPIError(
            code: 0, call: "read",
            text: "perf_event group read returned \(bytes) bytes and \(buffer[0]) values, "
              + "expected \(count) values"))
      }
      return .success(buffer.dropFirst().map { Int64(bitPattern: $0) })
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `close(fd)`.
  package static func close(_ fd: Int32) {
    #if canImport(Glibc)
      _ = Glibc.close(fd)
    #endif
  }

  #if PAPI && canImport(CPAPI)
    /// The kernel's `PERF_COUNT_SW_*` value of `kind` (`enum perf_sw_ids`).
    private static func config(_ kind: SoftwareEvent.Kind) -> UInt32 {
      switch kind {
      case .cpuClock: PERF_COUNT_SW_CPU_CLOCK.rawValue
      case .taskClock: PERF_COUNT_SW_TASK_CLOCK.rawValue
      case .pageFaults: PERF_COUNT_SW_PAGE_FAULTS.rawValue
      case .contextSwitches: PERF_COUNT_SW_CONTEXT_SWITCHES.rawValue
      case .cpuMigrations: PERF_COUNT_SW_CPU_MIGRATIONS.rawValue
      case .minorFaults: PERF_COUNT_SW_PAGE_FAULTS_MIN.rawValue
      case .majorFaults: PERF_COUNT_SW_PAGE_FAULTS_MAJ.rawValue
      case .cgroupSwitches: PERF_COUNT_SW_CGROUP_SWITCHES.rawValue
      }
    }

    private static func groupIoctl(_ fd: Int32, _ request: UInt, _ name: String)
      -> Result<Void, PAPIError>
    {
      cpapi_perf_ioctl(fd, request, UInt(PERF_IOC_FLAG_GROUP.rawValue)) == 0
        ? .success(()) : .failure(error("ioctl(\(name))"))
    }

    /// The calling thread's `errno` as an error of `call`.
    private static func error(_ call: String, _ event: String? = nil) -> PAPIError {
      let code = errno
      return PAPIError(code: code, call: call, event: event, text: String(cString: strerror(code)))
    }
  #endif
}
