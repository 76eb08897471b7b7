import ConvKernels
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct WorkerPoolTests {
  @Test(arguments: [0, 1, 2, 3, 7, 64, 1000, 10_000])
  func sharedPoolRunsEveryTaskExactlyOnce(tasks: Int) {
    let total = Atomic<Int>(0)
    let hits = Mutex([Int](repeating: 0, count: tasks))
    WorkerPool.shared.run(tasks: tasks) { task in
      total.add(1, ordering: .relaxed)
      hits.withLock { $0[task] += 1 }
    }
    #expect(total.load(ordering: .relaxed) == tasks)
    #expect(hits.withLock { $0.allSatisfy { $0 == 1 } })
  }

  @Test func backToBackJobsEachRunCompletely() {
    let total = Atomic<Int>(0)
    for round in 1...200 {
      WorkerPool.shared.run(tasks: round % 13) { _ in total.add(1, ordering: .relaxed) }
    }
    #expect(total.load(ordering: .relaxed) == (1...200).map { $0 % 13 }.reduce(0, +))
  }

  @Test func onEachWorkerRunsOncePerThread() {
    let pool = WorkerPool.shared
    let workers = Mutex([Int: Int]())
    let threads = Mutex(Set<UInt>())
    pool.onEachWorker { worker in
      workers.withLock { $0[worker, default: 0] += 1 }
      let id = Self.threadID()
      threads.withLock { _ = $0.insert(id) }
    }
    #expect(
      workers.withLock { $0 }
        == Dictionary(uniqueKeysWithValues: (0..<pool.threadCount).map { ($0, 1) }))
    #expect(threads.withLock { $0.count } == pool.threadCount)
  }

  @Test func aPoolOfOneRunsOnTheCaller() {
    let pool = WorkerPool(threads: 1)
    var seen: [Int] = []
    pool.run(tasks: 5) { seen.append($0) }
    #expect(seen == [0, 1, 2, 3, 4])
    var workers: [Int] = []
    pool.onEachWorker { workers.append($0) }
    #expect(workers == [0])
  }

  /// A worker that never shows up (its CPU busy elsewhere) does not hold a job up: the caller
  /// claims and runs every task itself. Before tasks were claimed, a job waited for every
  /// worker to check in, and on this pool it would never have returned (the time limit turns
  /// that hang into a failure).
  @Test(.timeLimit(.minutes(1)))
  func aJobWhoseWorkersNeverArriveRunsOnTheCaller() {
    let pool = WorkerPool(threads: 4, startedWorkers: 0)
    let caller = Self.threadID()
    for tasks in [2, 3, 64] {
      let hits = Mutex([Int](repeating: 0, count: tasks))
      let threads = Mutex(Set<UInt>())
      pool.run(tasks: tasks) { task in
        hits.withLock { $0[task] += 1 }
        let id = Self.threadID()
        threads.withLock { _ = $0.insert(id) }
      }
      #expect(hits.withLock { $0 } == [Int](repeating: 1, count: tasks))
      #expect(threads.withLock { $0 } == [caller])
    }
  }

  /// Jobs of both kinds, alternated many times on a pool with more threads than this machine
  /// has CPUs (so workers often arrive after the caller has claimed every task): every task of
  /// every job runs exactly once, inside its own job, and every worker once per
  /// `onEachWorker`. Runs of equal task counts back to back give a late worker's claim the
  /// chance to land in the next job, whose task it then must run with that job's closure.
  @Test(.timeLimit(.minutes(1)))
  func alternatingJobKindsNeverLoseOrRepeatWork() {
    let pool = WorkerPool(threads: 5)
    let taskCounts = (0..<2_000).map { round in round < 1_000 ? 2 : 2 + round % 9 }
    let hits = Mutex(taskCounts.map { [Int](repeating: 0, count: $0) })
    let workerRuns = Mutex([Int](repeating: 0, count: 5))
    for (round, tasks) in taskCounts.enumerated() {
      pool.run(tasks: tasks) { task in hits.withLock { $0[round][task] += 1 } }
      if round % 50 == 0 {
        pool.onEachWorker { worker in workerRuns.withLock { $0[worker] += 1 } }
      }
    }
    let wrong = hits.withLock { jobs in
      jobs.enumerated().filter { $0.element.contains { $0 != 1 } }.map(\.offset)
    }
    #expect(wrong.isEmpty, "jobs with a task run other than once: \(wrong.prefix(10))")
    #expect(workerRuns.withLock { $0 } == [Int](repeating: 40, count: 5))
  }

  /// `wake()` on workers that have slept past their spin window, twice in a row and with no
  /// job between, loses no wake-up: the next jobs still run once per task and on every thread.
  @Test func wakingSleepingWorkersLosesNoJob() {
    let pool = WorkerPool(threads: 3)
    pool.run(tasks: 3) { _ in }
    usleep(20_000)
    pool.wake()
    pool.wake()
    usleep(1_000)
    let threads = Mutex(Set<UInt>())
    pool.onEachWorker { _ in
      let id = Self.threadID()
      threads.withLock { _ = $0.insert(id) }
    }
    #expect(threads.withLock { $0.count } == 3)
    usleep(20_000)
    pool.wake()
    let hits = Mutex([Int](repeating: 0, count: 500))
    pool.run(tasks: 500) { task in hits.withLock { $0[task] += 1 } }
    #expect(hits.withLock { $0.allSatisfy { $0 == 1 } })
    WorkerPool(threads: 1).wake()
  }

  /// An identifier of the calling thread.
  static func threadID() -> UInt {
    #if canImport(Glibc)
      UInt(pthread_self())
    #else
      UInt(bitPattern: pthread_self())
    #endif
  }
}
