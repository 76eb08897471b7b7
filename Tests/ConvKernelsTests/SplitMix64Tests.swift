import ConvKernels
import Testing

@Suite struct SplitMix64Tests {
  // From the definition (Steele, Lea, Flood 2014; Vigna's splitmix64.c), seed 0:
  //   state = 0 + 0x9E3779B97F4A7C15
  //   z = (state ^ (state >> 30)) * 0xBF58476D1CE4E5B9
  //   z = (z ^ (z >> 27)) * 0x94D049BB133111EB
  //   out = z ^ (z >> 31) = 0xE220A8397B1DCDAF
  // and the next three: 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC
  // (the published first outputs for seed 0).
  @Test func seedZeroGivesThePublishedFirstOutputs() {
    var generator = SplitMix64(seed: 0)
    let first = (0..<4).map { _ in generator.next() }
    #expect(
      first == [
        0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC,
      ])
  }

  @Test func theSameSeedGivesTheSameSequenceEveryTime() {
    var a = SplitMix64(seed: 12_345)
    var b = SplitMix64(seed: 12_345)
    var c = SplitMix64(seed: 12_346)
    let sa = (0..<1000).map { _ in a.next() }
    #expect(sa == (0..<1000).map { _ in b.next() })
    #expect(sa != (0..<1000).map { _ in c.next() })
  }

  @Test func signedUnitFloatsStayInRangeOnTheGrid() {
    var generator = SplitMix64(seed: 1)
    for _ in 0..<10_000 {
      let x = generator.nextSignedUnitFloat()
      #expect(x >= -1 && x < 1)
      #expect((x * Float(1 << 20)).rounded() == x * Float(1 << 20))
    }
  }

  @Test func signedUnitFloatUsesTheTopBits() {
    // 0xE220A8397B1DCDAF >> 43 = 1,852,437 (top 21 bits); (1,851,413 - 2^20) / 2^20.
    var generator = SplitMix64(seed: 0)
    #expect(generator.nextSignedUnitFloat() == Float(1_852_437 - 1_048_576) / Float(1 << 20))
  }
}
