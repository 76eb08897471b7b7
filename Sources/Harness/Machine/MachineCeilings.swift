import ConvKernels

/// This machine's measured limits, so results can be stated as a fraction of them.
public struct MachineCeilings: Codable, Sendable, Equatable {
  /// Single-precision FMA peak on one thread, GFLOP/s, with 8-wide (AVX2) vectors.
  public var peakGFLOPSOneThread: Double
  /// Single-precision FMA peak on all `threads`, GFLOP/s, with 8-wide (AVX2) vectors.
  public var peakGFLOPSAllThreads: Double
  /// The FMA peak of every ISA whose loops this CPU runs (AVX2: 8-wide; AVX-512: 16-wide),
  /// narrowest first; nil in folders written before it was measured.
  public var isaPeaks: [ISAPeak]?
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
    memoryGBPSAllThreads: Double, l2GBPSOneThread: Double, threads: Int,
    isaPeaks: [ISAPeak]? = nil
  ) {
    self.isaPeaks = isaPeaks
    self.peakGFLOPSOneThread = peakGFLOPSOneThread
    self.peakGFLOPSAllThreads = peakGFLOPSAllThreads
    self.memoryGBPSOneThread = memoryGBPSOneThread
    self.memoryGBPSAllThreads = memoryGBPSAllThreads
    self.l2GBPSOneThread = l2GBPSOneThread
    self.threads = threads
  }

  /// Peak GFLOP/s for a kernel on `threads` threads (linear between 1 and all), at 8 wide.
  public func peakGFLOPS(threads: Int) -> Double {
    Self.scaled(one: peakGFLOPSOneThread, all: peakGFLOPSAllThreads, threads, of: self.threads)
  }

  /// Peak GFLOP/s for a kernel of `isa` on `threads` threads: the peak of its own vector
  /// width where it was measured, else the 8-wide peak (generic code, older folders).
  public func peakGFLOPS(threads: Int, isa: ISA) -> Double {
    guard let peak = isaPeaks?.first(where: { $0.isa == isa }) else {
      return peakGFLOPS(threads: threads)
    }
    return Self.scaled(one: peak.oneThread, all: peak.allThreads, threads, of: self.threads)
  }

  /// The highest peak GFLOP/s of any ISA on `threads` threads: what the machine can do.
  public func bestPeakGFLOPS(threads: Int) -> Double {
    ISA.allCases.map { peakGFLOPS(threads: threads, isa: $0) }.max()!
  }

  private static func scaled(one: Double, all: Double, _ threads: Int, of measured: Int) -> Double {
    threads <= 1 ? one : all * Double(min(threads, measured)) / Double(measured)
  }

  /// Memory bandwidth in GB/s for a kernel on `threads` threads.
  public func memoryGBPS(threads: Int) -> Double {
    threads <= 1 ? memoryGBPSOneThread : memoryGBPSAllThreads
  }
}

/// The FMA peak measured with one ISA's vectors.
public struct ISAPeak: Codable, Sendable, Equatable {
  public var isa: ISA
  /// GFLOP/s on one thread.
  public var oneThread: Double
  /// GFLOP/s on all the ceilings' threads.
  public var allThreads: Double

  public init(isa: ISA, oneThread: Double, allThreads: Double) {
    self.isa = isa
    self.oneThread = oneThread
    self.allThreads = allThreads
  }
}
