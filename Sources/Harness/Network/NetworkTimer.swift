import ConvKernels

/// The timed forward passes of one network: the whole pass and each stage.
public struct NetworkTiming: Sendable {
  /// Nanoseconds of each timed pass.
  public let latencies: [Double]
  /// Nanoseconds of each stage in each pass: `stageTimes[stage][sample]`.
  public let stageTimes: [[Double]]

  public init(latencies: [Double], stageTimes: [[Double]]) {
    precondition(stageTimes.allSatisfy { $0.count == latencies.count }, "one time per pass")
    self.latencies = latencies
    self.stageTimes = stageTimes
  }

  /// The median of each stage's passes, in stage order.
  public var stageMedians: [Double] { stageTimes.map { SampleStatistics($0).median } }

  /// The median over passes of the time stages `stages` took together.
  public func medianSpan(of stages: ClosedRange<Int>) -> Double {
    let spans = latencies.indices.map { sample in
      stages.reduce(0) { $0 + stageTimes[$1][sample] }
    }
    return SampleStatistics(spans).median
  }
}

/// Times networks like kernels (`Sampler`): each is warmed up, then the passes are taken
/// round-robin, one pass of each network per round, so drift in machine speed hits the
/// separable network and its twins alike. A sample is one forward pass, with the clock read
/// between stages as well (about 20 ns per read).
public struct NetworkTimer: Sendable {
  /// Warm-up: at least this long and at least two passes of each network.
  public let warmUpNanoseconds: UInt64
  /// Timed passes of each network.
  public let repetitions: Int

  public init(warmUpNanoseconds: UInt64 = 200_000_000, repetitions: Int = 20) {
    self.warmUpNanoseconds = warmUpNanoseconds
    self.repetitions = repetitions
  }

  /// Warms up and times `networks`; one timing per network, in order. `afterEachRound` runs
  /// after each round of timed passes, outside the clock (a peer comparison hands the CPU to
  /// the other process there, `TurnTaking`).
  public func time(
    _ networks: [CompiledNetwork], afterEachRound: () -> Void = {}
  ) -> [NetworkTiming] {
    for network in networks {
      let start = MonotonicClock.now()
      var passes = 0
      repeat {
        network.forward()
        passes += 1
      } while passes < 2 || MonotonicClock.now() - start < warmUpNanoseconds
    }
    var latencies = networks.map { _ in [Double]() }
    var stageTimes = networks.map { [[Double]](repeating: [], count: $0.stages.count) }
    let widest = networks.map(\.stages.count).max() ?? 0
    let stamps = UnsafeMutablePointer<UInt64>.allocate(capacity: widest + 1)
    defer { stamps.deallocate() }
    for _ in 0..<repetitions {
      for (n, network) in networks.enumerated() {
        network.forward(stamps: stamps)
        let count = network.stages.count
        latencies[n].append(Double(stamps[count] - stamps[0]))
        for s in 0..<count {
          stageTimes[n][s].append(Double(stamps[s + 1] - stamps[s]))
        }
      }
      afterEachRound()
    }
    return zip(latencies, stageTimes).map {
      NetworkTiming(latencies: $0, stageTimes: $1)
    }
  }
}
