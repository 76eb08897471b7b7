import ConvKernels
import KernelCatalog

/// Measures `MachineCeilings`: FMA throughput (1 thread and all threads) and triad
/// bandwidth (to memory and inside L2). Each figure is the best of several samples: a ceiling
/// is what the machine can do, so the fastest repetition is the estimate.
public struct Calibration: Sendable {
  /// Threads for the all-thread figures.
  public var threads: Int
  /// Floats per triad array for the memory figure: each array twice the last-level cache
  /// (at least 64 MiB), so the three arrays stream from memory.
  public var memoryElements: Int
  /// Floats per triad array for the L2 figure (3 x 40 KiB: past L1, inside a 512 KiB L2).
  public var l2Elements: Int = 10 << 10
  public var samples: Int = 5

  /// Calibration for `threads` threads on a machine whose last-level cache holds
  /// `lastLevelCacheBytes` (0 when unknown).
  public init(threads: Int, lastLevelCacheBytes: Int) {
    self.threads = threads
    memoryElements = max(64 << 20, 2 * lastLevelCacheBytes) / 4
  }

  /// Runs every measurement (about a second).
  /// - Throws: `CeilingLoops.Unavailable` on a CPU that can run none of the loops.
  public func measure() throws(CeilingLoops.Unavailable) -> MachineCeilings {
    let loops = try CeilingLoops.current.get()
    let one = fmaGFLOPS(loops, pool: .with(threads: 1))
    let all = fmaGFLOPS(loops, pool: .with(threads: threads))
    let memoryOne = triadGBPS(loops, elements: memoryElements, pool: .with(threads: 1), passes: 1)
    let memoryAll = triadGBPS(
      loops, elements: memoryElements, pool: .with(threads: threads), passes: 1)
    let l2 = triadGBPS(loops, elements: l2Elements, pool: .with(threads: 1), passes: 2000)
    var peaks = [ISAPeak(isa: loops.isa, oneThread: one, allThreads: all)]
    for wider in CeilingLoops.wider {
      peaks.append(
        ISAPeak(
          isa: wider.isa, oneThread: fmaGFLOPS(wider, pool: .with(threads: 1)),
          allThreads: fmaGFLOPS(wider, pool: .with(threads: threads))))
    }
    return MachineCeilings(
      peakGFLOPSOneThread: one, peakGFLOPSAllThreads: all, memoryGBPSOneThread: memoryOne,
      memoryGBPSAllThreads: memoryAll, l2GBPSOneThread: l2, threads: threads, isaPeaks: peaks)
  }

  /// Best-of-`samples` GFLOP/s of the FMA loop on every thread of `pool`.
  func fmaGFLOPS(_ loops: CeilingLoops, pool: WorkerPool) -> Double {
    let iterations = 2_000_000
    let flopsPerThread = Double(iterations * loops.flopsPerRound)
    var best = 0.0
    var sink: Float = 0
    var results = [Float](repeating: 0, count: pool.threadCount)
    for _ in 0..<samples {
      let start = MonotonicClock.now()
      results.withUnsafeMutableBufferPointer { out in
        pool.onEachWorker { worker in
          out[worker] = loops.fma(iterations, 0.5, 0.25)
        }
      }
      let seconds = Double(MonotonicClock.now() - start) / 1e9
      sink += results.reduce(0, +)
      best = max(best, flopsPerThread * Double(pool.threadCount) / seconds / 1e9)
    }
    precondition(sink.isFinite, "FMA calibration produced a non-finite value")
    return best
  }

  /// Best-of-`samples` GB/s of the triad over arrays of `elements` floats, split evenly
  /// over `pool`'s threads, each sample `passes` passes.
  func triadGBPS(_ loops: CeilingLoops, elements: Int, pool: WorkerPool, passes: Int) -> Double {
    let a = AlignedBuffer(count: elements)
    let b = AlignedBuffer(count: elements, value: 1)
    let c = AlignedBuffer(count: elements, value: 2)
    let partition = RowPartition(total: elements, parts: pool.threadCount)
    func pass() {
      pool.onEachWorker { worker in
        let range = partition.range(worker)
        loops.triad(
          a.pointer + range.lowerBound, b.pointer + range.lowerBound, c.pointer + range.lowerBound,
          range.count, 3)
      }
    }
    pass()
    var best = 0.0
    for _ in 0..<samples {
      let start = MonotonicClock.now()
      for _ in 0..<passes { pass() }
      let seconds = Double(MonotonicClock.now() - start) / 1e9
      best = max(best, Double(12 * elements * passes) / seconds / 1e9)
    }
    precondition(a.pointer[elements - 1] == 7, "triad produced a wrong value")
    return best
  }
}
