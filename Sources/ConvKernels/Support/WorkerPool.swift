import Foundation
import Synchronization

/// A fixed set of persistent threads that run one parallel job at a time.
///
/// `run(tasks:_:)` hands task indices to the workers and to the calling thread (worker 0) and
/// returns when every task is done; threads are created once, in `init`, never per call.
/// Workers spin for up to `spinNanoseconds` after a job (kernel calls, and the layers of a
/// network, follow each other within microseconds to milliseconds), then sleep on a condition.
///
/// A worker takes part in a `run` job only by claiming a task, and the caller waits for the
/// claimed tasks, never for a worker to show up: when a worker's CPU is busy elsewhere (on a
/// virtual machine, the host may not run the guest's other vCPU for milliseconds), the caller
/// runs every task itself and the job costs what it costs on one thread, not a stall.
///
/// `TaskClaims` packs a `run` job's task count and how many of its tasks are claimed into one
/// atomic word, so a claim is one compare-and-swap that succeeds only while a task is left.
///
/// `@unchecked Sendable` invariant: `job` is written only by the thread in
/// `run`/`onEachWorker`, before it publishes the job (release) and after the job is over. A
/// worker reads `job` only after a claim of a task succeeded, or after it saw a new
/// `onEachWorker` job (acquire). `run` returns only after every claimed task has counted itself
/// in `completed`, and `onEachWorker` only after every worker has counted itself in `pending`
/// (release/acquire). So the job closure never outlives the
/// call that installed it. Calls to `run` from several threads at once are serialised by
/// `callerLock`; a job must not call `run` on its own pool (the lock is not recursive).
public final class WorkerPool: @unchecked Sendable {
  /// Threads that run tasks, including the caller.
  public let threadCount: Int

  /// Jobs published so far; a worker that sees it change looks for work.
  private let generation = Atomic<Int>(0)
  /// The task count and claimed tasks of the current (or last) `run` job: see `TaskClaims`.
  private let taskClaims = Atomic<Int>(0)
  /// Tasks of the current `run` job that have finished.
  private let completed = Atomic<Int>(0)
  /// `onEachWorker` jobs published so far.
  private let perWorkerJobs = Atomic<Int>(0)
  /// Workers that have yet to run their part of the current `onEachWorker` job.
  private let pending = Atomic<Int>(0)
  private let sleepCondition = NSCondition()
  private let callerLock = NSLock()
  private var job: ((Int) -> Void)?
  /// Calls of `wake()`; a worker that sees it change starts a new spin window.
  private let wakeCalls = Atomic<Int>(0)

  /// How long a worker spins after its last job before it sleeps. A sleeping worker is woken
  /// through the kernel, and on a virtual machine whose other vCPU has gone idle that takes
  /// long enough that the caller often finishes every task itself: a two-thread kernel run
  /// between one-thread ones (a network's layers, a round-robin of variants) then ran no
  /// faster than on one thread. On a 2-vCPU Zen 3 guest, `sepbench run --shape
  /// n1c512h14w14o512k3s1p1 --ops pw --variants packed-gemm --layouts nhwc --threads 1,2
  /// --fixed-threads` timed the two-thread variant at 1.66 ms after a 20,000-load spin and
  /// 0.87 ms with this one (one thread: 1.78 ms). 5 ms covers the gap between two calls of
  /// any layer of the suites, and bounds the CPU a pool burns when idle.
  private static let spinNanoseconds: UInt64 = 5_000_000
  /// Spins between two readings of the clock (and two offers of the CPU to other threads).
  private static let spinsPerClockRead = 256

  /// A pool of `threads` threads (the caller plus `threads - 1` workers). The workers live as
  /// long as the process: make pools once (see `shared`), not per kernel.
  public convenience init(threads: Int) {
    self.init(threads: threads, startedWorkers: threads - 1)
  }

  /// A pool of `threads` threads of which only the first `startedWorkers` workers ever run:
  /// for tests of a job whose workers never arrive. `run` completes on such a pool (the
  /// caller runs the unclaimed tasks); `onEachWorker` would wait forever.
  package init(threads: Int, startedWorkers: Int) {
    precondition(threads >= 1, "a pool needs at least one thread")
    precondition((0..<threads).contains(startedWorkers), "at most threads - 1 workers")
    threadCount = threads
    for index in stride(from: 1, through: startedWorkers, by: 1) {
      // Workers hold the pool for the life of the process; pools are made once and shared.
      let thread = Thread { self.workerLoop(index: index) }
      thread.name = "sepbench-worker-\(index)"
      thread.stackSize = 1 << 20
      thread.start()
    }
  }

  /// The pool shared by every kernel of this process, sized to the CPUs reported online
  /// (at least 2, so two-thread variants can be validated on any machine).
  public static let shared = WorkerPool(
    threads: max(2, ProcessInfo.processInfo.activeProcessorCount))

  private static let poolsByThreadCount = Mutex<[Int: WorkerPool]>([:])

  /// The pool with exactly `threads` threads (made on first use, then reused), so a variant
  /// with `threads: N` never runs on more than N threads.
  public static func with(threads: Int) -> WorkerPool {
    poolsByThreadCount.withLock { pools in
      if let pool = pools[threads] { return pool }
      let pool = WorkerPool(threads: threads)
      pools[threads] = pool
      return pool
    }
  }

  /// Runs `body(task)` for every task in `0..<tasks` on up to `threadCount` threads and returns
  /// when all are done. Tasks are handed out dynamically; a body must not depend on which
  /// thread runs it. With `tasks <= 1` the body runs on the caller only.
  public func run(tasks: Int, _ body: (Int) -> Void) {
    guard tasks > 1 && threadCount > 1 else {
      for task in 0..<max(tasks, 0) { body(task) }
      return
    }
    precondition(tasks <= TaskClaims.maxTasks, "at most \(TaskClaims.maxTasks) tasks per job")
    callerLock.lock()
    defer { callerLock.unlock() }
    withoutActuallyEscaping(body) { escapable in
      job = escapable
      completed.store(0, ordering: .relaxed)
      taskClaims.store(TaskClaims(tasks: tasks, claimed: 0).rawValue, ordering: .releasing)
      publish()
      while let task = claimTask() {
        escapable(task)
        completed.add(1, ordering: .relaxed)
      }
      while completed.load(ordering: .acquiring) != tasks { spinHint() }
      job = nil
    }
  }

  /// Runs `body(worker)` exactly once on each thread of the pool (worker 0 is the caller), e.g.
  /// to start or stop a per-thread counter event set. Returns when all have run.
  public func onEachWorker(_ body: (Int) -> Void) {
    guard threadCount > 1 else {
      body(0)
      return
    }
    callerLock.lock()
    defer { callerLock.unlock() }
    withoutActuallyEscaping(body) { escapable in
      job = escapable
      pending.store(threadCount - 1, ordering: .relaxed)
      perWorkerJobs.add(1, ordering: .releasing)
      publish()
      escapable(0)
      while pending.load(ordering: .acquiring) != 0 { spinHint() }
      job = nil
    }
  }

  /// Makes idle workers spin for a new `spinNanoseconds` (waking those that sleep) without
  /// giving them a job:
  /// for a caller that knows a parallel job is coming soon (a network pass whose first stages
  /// run on one thread), so that the job does not pay for waking them through the kernel.
  /// Costs a lock and a broadcast; workers that are spinning or busy are not disturbed.
  public func wake() {
    guard threadCount > 1 else { return }
    sleepCondition.lock()
    wakeCalls.add(1, ordering: .relaxed)
    sleepCondition.broadcast()
    sleepCondition.unlock()
  }

  /// Starts a new generation (release: the job is set up before) and wakes the workers that
  /// sleep.
  private func publish() {
    generation.add(1, ordering: .releasing)
    sleepCondition.lock()
    sleepCondition.broadcast()
    sleepCondition.unlock()
  }

  /// Claims the next task of the current `run` job, or nil when none is left. A successful
  /// claim acquires the job's publication, so `job` may be read. A claim that raced with the
  /// end of its job and the start of the next can only succeed for a task of the new job that
  /// no one has claimed, which is the one it then runs.
  private func claimTask() -> Int? {
    var current = taskClaims.load(ordering: .acquiring)
    while true {
      let claims = TaskClaims(rawValue: current)
      guard claims.claimed < claims.tasks else { return nil }
      let (exchanged, original) = taskClaims.compareExchange(
        expected: current, desired: current + 1, successOrdering: .acquiring,
        failureOrdering: .acquiring)
      if exchanged { return claims.claimed }
      current = original
    }
  }

  /// Runs tasks of the current `run` job until none is left. A separate function so that the
  /// worker's reference to the job closure is released on return.
  @inline(never)
  private func runClaimedTasks() {
    while let task = claimTask() {
      job?(task)
      completed.add(1, ordering: .releasing)
    }
  }

  /// Runs this worker's part of the current `onEachWorker` job.
  @inline(never)
  private func runOnWorker(_ worker: Int) {
    job?(worker)
  }

  private func workerLoop(index: Int) {
    var seen = 0
    var perWorkerJobsSeen = 0
    while true {
      var spins = 0
      var idleSince = MonotonicClock.now()
      var wakesSeen = wakeCalls.load(ordering: .relaxed)
      var spinning = true
      var current = generation.load(ordering: .acquiring)
      while current == seen {
        spins += 1
        if spinning && spins % Self.spinsPerClockRead == 0 {
          let wakes = wakeCalls.load(ordering: .relaxed)
          if wakes != wakesSeen {
            wakesSeen = wakes
            idleSince = MonotonicClock.now()
          }
          spinning = MonotonicClock.now() - idleSince < Self.spinNanoseconds
          // A spinning worker gives its CPU to any other thread that is ready to run there
          // (another process's sample, a pool with more threads than CPUs).
          sched_yield()
        }
        if spinning {
          spinHint()
        } else {
          // `wake()` changes `wakeCalls` under the lock, so none is lost between the check
          // and the wait.
          sleepCondition.lock()
          while generation.load(ordering: .acquiring) == seen
            && wakeCalls.load(ordering: .relaxed) == wakesSeen
          {
            sleepCondition.wait()
          }
          wakesSeen = wakeCalls.load(ordering: .relaxed)
          sleepCondition.unlock()
          // Woken by `wake()` rather than a job: spin for a new window.
          idleSince = MonotonicClock.now()
          spinning = true
        }
        current = generation.load(ordering: .acquiring)
      }
      seen = current
      let perWorker = perWorkerJobs.load(ordering: .acquiring)
      if perWorker != perWorkerJobsSeen {
        // The caller waits for every worker here, so this job is still the current one.
        perWorkerJobsSeen = perWorker
        runOnWorker(index)
        pending.subtract(1, ordering: .releasing)
      }
      runClaimedTasks()
    }
  }

  @inline(__always)
  private func spinHint() {
    #if arch(x86_64) || arch(i386)
      // No portable pause instruction in Swift; a relaxed load keeps the loop cheap.
      _ = pending.load(ordering: .relaxed)
    #endif
  }
}

/// The task count of a `WorkerPool.run` job and how many of its tasks have been claimed, in one
/// machine word, so that claiming a task is one compare-and-swap: adding 1 to the raw value
/// claims the next task.
struct TaskClaims {
  /// The most tasks one job can have.
  static let maxTasks = Int(Int32.max)

  let rawValue: Int

  init(rawValue: Int) { self.rawValue = rawValue }

  init(tasks: Int, claimed: Int) { rawValue = tasks << 32 | claimed }

  var tasks: Int { rawValue >> 32 }
  var claimed: Int { rawValue & 0xFFFF_FFFF }
}
