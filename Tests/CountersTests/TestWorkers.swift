import ConvKernels
import Foundation

/// What the counter tests need from a thread pool: the two calls of `WorkerPool`.
protocol WorkerThreads: AnyObject {
  var threadCount: Int { get }
  func run(tasks: Int, _ body: (Int) -> Void)
  func onEachWorker(_ body: (Int) -> Void)
}

extension WorkerPool: WorkerThreads {}

/// A minimal persistent pool (worker 0 is the caller) with `WorkerPool`'s per-worker contract.
///
/// Used because `WorkerPool.run`/`onEachWorker` with 2 threads at bf795c0 (and main d047de8)
/// trap in a debug test build with "closure argument was escaped in withoutActuallyEscaping
/// block" (WorkerPool.swift:92), even with an empty body; apparently a reference to `job`
/// outlives the caller's `withoutActuallyEscaping`. Here each worker drops its reference (in
/// `runJob`) before signalling completion.
final class TestWorkers: WorkerThreads, @unchecked Sendable {
  let threadCount: Int
  private var job: ((Int) -> Void)?
  private let go: [DispatchSemaphore]
  private let done = DispatchSemaphore(value: 0)

  init(threads: Int) {
    threadCount = threads
    go = (0..<threads).map { _ in DispatchSemaphore(value: 0) }
    for index in 1..<max(threads, 1) {
      // Threads hold the pool for the life of the process, as WorkerPool's do.
      let thread = Thread {
        while true {
          self.go[index].wait()
          self.runJob(index)
          self.done.signal()
        }
      }
      thread.start()
    }
  }

  @inline(never) private func runJob(_ index: Int) {
    let body = job!
    body(index)
  }

  func onEachWorker(_ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { escapable in
      job = escapable
      for index in 1..<threadCount { go[index].signal() }
      escapable(0)
      for _ in 1..<threadCount { done.wait() }
      job = nil
    }
  }

  /// Runs task `i` on worker `i` (tasks == threadCount in these tests).
  func run(tasks: Int, _ body: (Int) -> Void) {
    precondition(tasks == threadCount)
    onEachWorker(body)
  }
}
