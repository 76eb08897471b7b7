import ConvKernels
import Harness
import Testing

@Suite struct NetworkTimerTests {
  @Test func everyNetworkGetsItsPassesAndStagesSumToTheLatency() throws {
    let a = try NetworkFixture.compile(.separable, width: 0.25, resolution: 32, layout: .nhwc)
    let b = try NetworkFixture.compile(.standard, width: 0.25, resolution: 32, layout: .nchw)
    let timings = NetworkTimer(warmUpNanoseconds: 1_000_000, repetitions: 7).time([
      a.network, b.network,
    ])
    #expect(timings.count == 2)
    for (timing, network) in zip(timings, [a.network, b.network]) {
      #expect(timing.latencies.count == 7)
      #expect(timing.stageTimes.count == network.stages.count)
      #expect(timing.stageTimes.allSatisfy { $0.count == 7 })
      for sample in 0..<7 {
        // The clock is read once between stages, so the stages add up to the pass exactly.
        let sum = timing.stageTimes.reduce(0) { $0 + $1[sample] }
        #expect(sum == timing.latencies[sample])
        #expect(timing.latencies[sample] > 0)
      }
    }
    #expect(a.network.stages.count == 17)
    #expect(b.network.stages.count == 16)
  }
}
