import Synchronization

#if PAPI && canImport(CPAPI)
  import CPAPI
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Every PAPI call of the package, each returning `Result<_, PAPIError>` (STYLE §7: one place
/// where return codes become errors, like swift-system's `Internals/Syscalls.swift`).
///
/// In a build without the `PAPI` trait every call fails with `PAPIError.builtWithoutPAPI`, so
/// the rest of the module has no `#if`.
///
/// **Threads.** PAPI is treated as not thread-safe. Every call that is not tied to the calling
/// thread's own running event set goes through one process-wide lock (`serialised`): component
/// and hardware information, name lookups, creating, filling, multiplexing and destroying event
/// sets. Only `PAPI_start`, `PAPI_stop` and `PAPI_read` on a set the calling thread created run
/// unlocked, so the workers of a multithreaded kernel start and stop their counters at once.
///
/// Every serialised call first makes sure PAPI knows the calling thread (`PAPI_register_thread`).
/// PAPI 7.0's `PAPI_event_name_to_code` writes through the calling thread's PAPI record while it
/// asks the components about a native name; on a thread that had never made an event set (a
/// test's or a concurrency pool's thread) that record is NULL, and the lookup died of SIGSEGV
/// wherever the perf_event component is enabled (seen on Zen 3 and Zen 4 guests; where the
/// component is disabled the path is never reached). Codes are also resolved once per name and
/// reused (`eventCode`).
package enum PAPICalls {
  /// What `PAPI_library_init` established, once per process.
  package struct Library: Sendable {
    /// `"7.0.0.0"`, from `PAPI_get_opt(PAPI_LIB_VERSION)`.
    package let version: String
    /// Result of `PAPI_multiplex_init`; nil when it succeeded.
    package let multiplexInitError: PAPIError?
  }

  /// A PAPI component (perf_event, perf_event_uncore, sysdetect ...) and why it is disabled.
  package struct Component: Sendable, Equatable {
    /// `PAPI_component_info_t.name`, e.g. `"perf_event"`.
    package let name: String
    /// `disabled_reason` when `disabled != 0`, e.g. "Error libpfm4 no default PMU found".
    package let disabledReason: String?
    /// Hardware counters of the component (`num_cntrs`).
    package let counters: Int
  }

  // MARK: - Library

  /// Initialises PAPI once per process with thread support: `PAPI_library_init`,
  /// `PAPI_thread_init` (thread id = `pthread_self`), `PAPI_multiplex_init`. Safe to call from
  /// any thread any number of times; later calls return the first result.
  package static func initialise() -> Result<Library, PAPIError> { initialisation }

  /// What the process-wide lock guards: the lock itself, and the event codes resolved so far
  /// (successes and failures alike: a name is looked up in PAPI once per process).
  private struct SerialState {
    var codes: [String: Result<Int32, PAPIError>] = [:]
    /// How often PAPI was asked for each name (tests show it is once).
    var lookups: [String: Int] = [:]
  }

  private static let lock = Mutex(SerialState())

  /// Runs `body` holding the process-wide PAPI lock, after `PAPI_library_init` has run (the
  /// initialisation runs outside the lock, once, so `body` never waits on it while holding the
  /// lock), and with the calling thread known to PAPI (`PAPI_register_thread`, which does
  /// nothing for a thread PAPI already knows). `body` must not call another serialised
  /// function: the lock is not recursive.
  private static func serialised<T>(_ body: (inout SerialState) -> Result<T, PAPIError>)
    -> Result<T, PAPIError>
  {
    if case .failure(let error) = initialise() { return .failure(error) }
    return lock.withLock { state in
      #if PAPI && canImport(CPAPI)
        let registered = PAPI_register_thread()
        guard registered == PAPI_OK else {
          return .failure(error(registered, "PAPI_register_thread"))
        }
      #endif
      return body(&state)
    }
  }

  /// How many times `PAPI_event_name_to_code` was called for `name` in this process; tests use
  /// it to show that each name is looked up once.
  package static func lookupCount(_ name: String) -> Int {
    lock.withLock { $0.lookups[name, default: 0] }
  }

  private static let initialisation: Result<Library, PAPIError> = {
    #if PAPI && canImport(CPAPI)
      let wanted = cpapi_ver_current()
      let got = PAPI_library_init(wanted)
      guard got == wanted else {
        if got > 0 {
          return .failure(
            PAPIError(
              code: got, call: "PAPI_library_init",
              text: "header/library version mismatch (header \(versionString(wanted)), "
                + "library \(versionString(got)))"))
        }
        return .failure(error(got, "PAPI_library_init"))
      }
      let threads = PAPI_thread_init { pthread_self() }
      guard threads == PAPI_OK else { return .failure(error(threads, "PAPI_thread_init")) }
      let multiplex = PAPI_multiplex_init()
      let version = PAPI_get_opt(PAPI_LIB_VERSION, nil)
      return .success(
        Library(
          version: version > 0 ? versionString(version) : "unknown",
          multiplexInitError: multiplex == PAPI_OK ? nil : error(multiplex, "PAPI_multiplex_init")))
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }()

  /// Components compiled into PAPI, with the reason each disabled one gives
  /// (`PAPI_num_components`, `PAPI_get_component_info`). Empty without PAPI.
  package static func components() -> [Component] {
    #if PAPI && canImport(CPAPI)
      let listed: Result<[Component], PAPIError> = serialised { _ in
        .success(
          (0..<PAPI_num_components()).compactMap { index in
            guard let info = PAPI_get_component_info(index)?.pointee else { return nil }
            let reason = string(info.disabled_reason)
            return Component(
              name: string(info.name),
              disabledReason: info.disabled != 0 ? (reason.isEmpty ? "disabled" : reason) : nil,
              counters: Int(info.num_cntrs))
          })
      }
      return (try? listed.get()) ?? []
    #else
      return []
    #endif
  }

  /// `PAPI_get_hardware_info().virtualized` and its vendor string, or nil without PAPI.
  package static func virtualMachine() -> (virtualized: Bool, vendor: String)? {
    #if PAPI && canImport(CPAPI)
      let info: Result<(Bool, String)?, PAPIError> = serialised { _ in
        .success(
          PAPI_get_hardware_info().map {
            ($0.pointee.virtualized != 0, string($0.pointee.virtual_vendor_string))
          })
      }
      return (try? info.get()) ?? nil
    #else
      return nil
    #endif
  }

  // MARK: - Events

  /// `PAPI_event_name_to_code`: the code of a preset or native event name. Resolved once per
  /// name and process; later calls return the first answer without calling PAPI.
  package static func eventCode(_ name: String) -> Result<Int32, PAPIError> {
    #if PAPI && canImport(CPAPI)
      serialised { state in lookUp(name, &state) }
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  // MARK: - Event sets

  /// `PAPI_create_eventset`: a new empty event set, bound to the calling thread.
  package static func createEventSet() -> Result<Int32, PAPIError> {
    #if PAPI && canImport(CPAPI)
      serialised { _ in
        var set = PAPI_NULL
        let rc = PAPI_create_eventset(&set)
        return rc == PAPI_OK ? .success(set) : .failure(error(rc, "PAPI_create_eventset"))
      }
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `PAPI_add_event` with the name's code from `eventCode`: adds one event. Fails with
  /// `PAPI_ECNFLCT` or `PAPI_ECOUNT` when it does not fit beside the events already in the set.
  package static func addEvent(_ set: Int32, _ name: String) -> Result<Void, PAPIError> {
    #if PAPI && canImport(CPAPI)
      serialised { state in
        lookUp(name, &state).flatMap { code in
          let rc = PAPI_add_event(set, code)
          return rc == PAPI_OK ? .success(()) : .failure(error(rc, "PAPI_add_event", name))
        }
      }
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `PAPI_assign_eventset_component(set, 0)` then `PAPI_set_multiplex`: makes an empty set
  /// multiplexed.
  package static func makeMultiplexed(_ set: Int32) -> Result<Void, PAPIError> {
    #if PAPI && canImport(CPAPI)
      serialised { _ in
        let assign = PAPI_assign_eventset_component(set, 0)
        guard assign == PAPI_OK else {
          return .failure(error(assign, "PAPI_assign_eventset_component"))
        }
        let rc = PAPI_set_multiplex(set)
        return rc == PAPI_OK ? .success(()) : .failure(error(rc, "PAPI_set_multiplex"))
      }
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `PAPI_start`: starts counting on the calling thread (the set's own thread).
  package static func start(_ set: Int32) -> Result<Void, PAPIError> {
    #if PAPI && canImport(CPAPI)
      let rc = PAPI_start(set)
      return rc == PAPI_OK ? .success(()) : .failure(error(rc, "PAPI_start"))
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `PAPI_stop`: stops counting and returns one count per event, in the order added.
  package static func stop(_ set: Int32, count: Int) -> Result<[Int64], PAPIError> {
    #if PAPI && canImport(CPAPI)
      var values = [Int64](repeating: 0, count: max(count, 1))
      let rc = values.withUnsafeMutableBufferPointer { buffer in
        buffer.withMemoryRebound(to: CLongLong.self) { PAPI_stop(set, $0.baseAddress) }
      }
      return rc == PAPI_OK
        ? .success(Array(values.prefix(count))) : .failure(error(rc, "PAPI_stop"))
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `PAPI_read`: the counts so far, without stopping or resetting.
  package static func read(_ set: Int32, count: Int) -> Result<[Int64], PAPIError> {
    #if PAPI && canImport(CPAPI)
      var values = [Int64](repeating: 0, count: max(count, 1))
      let rc = values.withUnsafeMutableBufferPointer { buffer in
        buffer.withMemoryRebound(to: CLongLong.self) { PAPI_read(set, $0.baseAddress) }
      }
      return rc == PAPI_OK
        ? .success(Array(values.prefix(count))) : .failure(error(rc, "PAPI_read"))
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `PAPI_cleanup_eventset` then `PAPI_destroy_eventset`. Call on the set's own thread, with
  /// the set stopped.
  package static func destroyEventSet(_ set: Int32) -> Result<Void, PAPIError> {
    #if PAPI && canImport(CPAPI)
      serialised { _ in
        let cleanup = PAPI_cleanup_eventset(set)
        guard cleanup == PAPI_OK else {
          return .failure(error(cleanup, "PAPI_cleanup_eventset"))
        }
        var handle = set
        let rc = PAPI_destroy_eventset(&handle)
        return rc == PAPI_OK ? .success(()) : .failure(error(rc, "PAPI_destroy_eventset"))
      }
    #else
      return .failure(.builtWithoutPAPI)
    #endif
  }

  /// `PAPI_get_real_nsec`: PAPI's wall clock, used by the overhead measurement.
  package static func realNanoseconds() -> Int64 {
    #if PAPI && canImport(CPAPI)
      return Int64(PAPI_get_real_nsec())
    #else
      var t = timespec()
      clock_gettime(CLOCK_MONOTONIC, &t)
      return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    #endif
  }

  // MARK: - Helpers

  #if PAPI && canImport(CPAPI)
    /// The cached code of `name`, or `PAPI_event_name_to_code`'s answer, remembered. Call with
    /// the lock held.
    private static func lookUp(_ name: String, _ state: inout SerialState)
      -> Result<Int32, PAPIError>
    {
      if let known = state.codes[name] { return known }
      state.lookups[name, default: 0] += 1
      var code: Int32 = 0
      let rc = PAPI_event_name_to_code(name, &code)
      let answer: Result<Int32, PAPIError> =
        rc == PAPI_OK ? .success(code) : .failure(error(rc, "PAPI_event_name_to_code", name))
      state.codes[name] = answer
      return answer
    }

    /// PAPI's own text for a return code (`PAPI_strerror`).
    package static func text(_ code: Int32) -> String {
      PAPI_strerror(code).map { String(cString: $0) } ?? "PAPI error \(code)"
    }

    private static func error(_ code: Int32, _ call: String, _ event: String? = nil) -> PAPIError {
      PAPIError(code: code, call: call, event: event, text: text(code))
    }

    private static func versionString(_ v: Int32) -> String {
      "\(cpapi_version_major(v)).\(cpapi_version_minor(v)).\(cpapi_version_revision(v))"
        + ".\(cpapi_version_increment(v))"
    }

    /// A NUL-terminated C `char[N]` field (imported as a tuple) as a String.
    private static func string<T>(_ field: T) -> String {
      withUnsafeBytes(of: field) { raw in
        let bytes = raw.prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
      }
    }
  #endif

  /// PAPI return codes the module interprets (`papi.h`); defined here so the no-PAPI build
  /// compiles too.
  package enum Code {
    /// `PAPI_ENOEVNT`: "Event does not exist".
    package static let noEvent: Int32 = -7
    /// `PAPI_ECNFLCT`: "Event exists, but cannot be counted due to counter resource limitations".
    package static let conflict: Int32 = -8
    /// `PAPI_ENOTPRESET`: not a valid preset name.
    package static let notPreset: Int32 = -12
    /// `PAPI_EPERM`: permission level does not permit operation.
    package static let permission: Int32 = -15
    /// `PAPI_ENOSUPP`: "Not supported".
    package static let notSupported: Int32 = -18
    /// `PAPI_ECOUNT`: "Too many events or attributes".
    package static let tooMany: Int32 = -23
    /// `PAPI_ECMP_DISABLED`: "Component containing event is disabled".
    package static let componentDisabled: Int32 = -25
  }
}
