import Counters
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A fake `EventSetBackend` whose single "event" is the thread CPU clock
/// (`CLOCK_THREAD_CPUTIME_ID`). Like a PAPI event set it counts only its creating thread, and
/// it records every call made on another thread, so `CounterSession`'s per-thread bookkeeping
/// can be checked on machines where PAPI counts nothing.
final class ThreadClockBackend: EventSetBackend {
  struct Set {
    let thread: UInt
    var started: Int64?
  }
  struct State {
    var sets: [Int32: Set] = [:]
    var created = 0
    var wrongThreadCalls = 0
  }

  let state = Mutex(State())
  /// When set, `stop` on this worker's sets fails (to check failures are never reported as 0).
  let failingThread = Atomic<UInt>(0)

  func create(events: [String]) -> Result<Int32, PAPIError> {
    state.withLock { state in
      state.created += 1
      let id = Int32(state.created)
      state.sets[id] = Set(thread: UInt(pthread_self()))
      return .success(id)
    }
  }

  func start(_ set: Int32) -> Result<Void, PAPIError> {
    let now = threadClockNanoseconds()
    return state.withLock { state in
      if state.sets[set]?.thread != UInt(pthread_self()) { state.wrongThreadCalls += 1 }
      state.sets[set]?.started = now
      return .success(())
    }
  }

  func stop(_ set: Int32, count: Int) -> Result<[Int64], PAPIError> {
    let now = threadClockNanoseconds()
    if failingThread.load(ordering: .relaxed) == UInt(pthread_self()) {
      return .failure(PAPIError(code: -7, call: "fake_stop", text: "Event does not exist"))
    }
    return state.withLock { state in
      if state.sets[set]?.thread != UInt(pthread_self()) { state.wrongThreadCalls += 1 }
      guard let started = state.sets[set]?.started else {
        return .failure(PAPIError(code: -9, call: "fake_stop", text: "not started"))
      }
      return .success(Array(repeating: now - started, count: count))
    }
  }

  func destroy(_ set: Int32) {
    state.withLock { state in
      if state.sets[set]?.thread != UInt(pthread_self()) { state.wrongThreadCalls += 1 }
      state.sets[set] = nil
    }
  }
}
