import Harness
import Testing

@Suite struct SamplerTests {
  let sampler = Sampler(
    minSampleNanoseconds: 5_000_000, repetitions: 10, caseBudgetNanoseconds: 1_000_000_000)

  @Test func fastKernelGetsEnoughIterationsToFillTheMinimumSample() {
    let plan = sampler.schedule(iterationTime: 1_000)
    #expect(plan.iterations == 5_000)
    #expect(plan.repetitions == 10)
  }

  @Test func iterationCountRoundsUp() {
    #expect(sampler.schedule(iterationTime: 3_000_000).iterations == 2)
  }

  @Test func slowKernelRunsOncePerSampleAndAtLeastThreeTimes() {
    let plan = sampler.schedule(iterationTime: 2_000_000_000)
    #expect(plan.iterations == 1)
    #expect(plan.repetitions == 3)
  }

  @Test func budgetLimitsRepetitions() {
    // 200 ms samples: the 1 s budget affords 5
    let plan = sampler.schedule(iterationTime: 200_000_000)
    #expect(plan.repetitions == 5)
  }

  @Test func fewerRequestedRepetitionsAreHonoured() {
    let one = Sampler(minSampleNanoseconds: 1_000, repetitions: 1, caseBudgetNanoseconds: 1_000_000)
    #expect(one.schedule(iterationTime: 10).repetitions == 1)
  }
}

@Suite struct RoundSpreadTests {
  @Test(arguments: [(3, 10), (1, 10), (5, 10), (4, 7), (10, 10), (2, 2), (3, 1000)])
  func reducedKernelSamplesExactlyItsRepetitionsSpreadOverTheRounds(repetitions: Int, rounds: Int) {
    let chosen = (0..<rounds).filter { Sampler.samples(repetitions, inRound: $0, of: rounds) }
    #expect(chosen.count == min(repetitions, rounds))
    #expect(chosen.first == 0)
    if repetitions > 1 { #expect(chosen.last == rounds - 1) }
  }

  @Test func threeOfTenAreFirstMiddleAndLast() {
    let chosen = (0..<10).filter { Sampler.samples(3, inRound: $0, of: 10) }
    #expect(chosen == [0, 5, 9])
  }
}
