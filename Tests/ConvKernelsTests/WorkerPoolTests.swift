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
