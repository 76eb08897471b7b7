import ConvKernels
import KernelCatalog
import Testing

@Suite struct SeparableBlockFusedTests {
  /// The fused tile is the only place the block's intermediate lives: shapes whose output
  /// rows split into several tiles, one tile, and tiles that do not divide the height.
  @Test(arguments: [
    "n1c8h9w7o16k3s1p1", "n2c24h13w5o40k3s2p1", "n1c300h30w30o8k3s1p1", "n3c17h1w1o5k3s1p1",
  ])
  func fusedMatchesTheReferenceAcrossTileBoundaries(descriptor: String) throws {
    let problem = try ConvProblem(descriptor: descriptor)
    let reference = ReferenceCase(op: .sepBlock, problem: problem, seed: 5)
    let family = try #require(VariantRegistry.family(op: .sepBlock, named: "fused"))
    for threads in [1, 2] {
      let check = reference.check(family.init(layout: .nhwc, threads: threads))
      #expect(check.passed, "\(descriptor) threads \(threads): \(check.maxAbsError)")
    }
  }

  @Test func noteGivesTheTileSize() throws {
    // 56 x 128 floats per row = 28 KiB; 128 KiB holds 4 rows; one thread takes them all.
    let problem = try ConvProblem(descriptor: "c128h56o128")
    let family = try #require(VariantRegistry.family(op: .sepBlock, named: "fused"))
    #expect(
      family.init(layout: .nhwc, threads: 1).note(for: problem)
        == "tile ≤ 4 rows = 112.0 KiB, 1 tasks")
    // Two threads on 7x7: seven tasks of one row each, so one-row buffers.
    let small = try ConvProblem(descriptor: "c1024h7o1024")
    #expect(
      family.init(layout: .nhwc, threads: 2).note(for: small)
        == "tile ≤ 1 rows = 28.0 KiB, 7 tasks")
  }
}
