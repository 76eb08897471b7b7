/// This machine's measured limits, so results can be stated as a fraction of them.
public struct MachineCeilings: Codable, Sendable, Equatable {
  /// Single-precision FMA peak on one thread, GFLOP/s.
  public var peakGFLOPSOneThread: Double
  /// Single-precision FMA peak on all `threads`, GFLOP/s.
  public var peakGFLOPSAllThreads: Double
  /// Triad bandwidth to memory (arrays far beyond the last-level cache), one thread, GB/s.
  public var memoryGBPSOneThread: Double
  /// Triad bandwidth to memory, all threads, GB/s.
  public var memoryGBPSAllThreads: Double
  /// Triad bandwidth with arrays inside L2, one thread, GB/s.
  public var l2GBPSOneThread: Double
  /// Threads used for the all-thread figures.
  public var threads: Int

  public init(
    peakGFLOPSOneThread: Double, peakGFLOPSAllThreads: Double, memoryGBPSOneThread: Double,
    memoryGBPSAllThreads: Double, l2GBPSOneThread: Double, threads: Int
  ) {
    self.peakGFLOPSOneThread = peakGFLOPSOneThread
    self.peakGFLOPSAllThreads = peakGFLOPSAllThreads
    self.memoryGBPSOneThread = memoryGBPSOneThread
    self.memoryGBPSAllThreads = memoryGBPSAllThreads
    self.l2GBPSOneThread = l2GBPSOneThread
    self.threads = threads
  }

  /// Peak GFLOP/s for a kernel on `threads` threads (linear between 1 and all).
  public func peakGFLOPS(threads: Int) -> Double {
    threads <= 1
      ? peakGFLOPSOneThread
      : peakGFLOPSAllThreads * Double(min(threads, self.threads)) / Double(self.threads)
  }

  /// Memory bandwidth in GB/s for a kernel on `threads` threads.
  public func memoryGBPS(threads: Int) -> Double {
    threads <= 1 ? memoryGBPSOneThread : memoryGBPSAllThreads
  }
}
