import ConvKernels
import Foundation
import Harness
import Testing

/// The peak a result is a fraction of: its own ISA's vector width, or the machine's best.
@Suite struct MachineCeilingsTests {
  let ceilings = MachineCeilings(
    peakGFLOPSOneThread: 90, peakGFLOPSAllThreads: 160, memoryGBPSOneThread: 12,
    memoryGBPSAllThreads: 24, l2GBPSOneThread: 80, threads: 2,
    isaPeaks: [
      ISAPeak(isa: .avx2, oneThread: 90, allThreads: 160),
      ISAPeak(isa: .avx512, oneThread: 170, allThreads: 330),
    ])

  @Test func eachISAIsMeasuredAgainstItsOwnPeak() {
    #expect(ceilings.peakGFLOPS(threads: 1, isa: .avx512) == 170)
    #expect(ceilings.peakGFLOPS(threads: 2, isa: .avx512) == 330)
    #expect(ceilings.peakGFLOPS(threads: 1, isa: .avx2) == 90)
    // Generic code has no peak of its own: the 8-wide one.
    #expect(ceilings.peakGFLOPS(threads: 2, isa: .generic) == 160)
    #expect(ceilings.bestPeakGFLOPS(threads: 1) == 170)
    #expect(ceilings.bestPeakGFLOPS(threads: 2) == 330)
  }

  /// A folder written before the per-ISA peaks has only the 8-wide one; every ISA uses it.
  @Test func anOlderFolderFallsBackToTheEightWidePeak() throws {
    let json = """
      {"peakGFLOPSOneThread": 94.6, "peakGFLOPSAllThreads": 172.3, "memoryGBPSOneThread": 14.8,
       "memoryGBPSAllThreads": 27.3, "l2GBPSOneThread": 61.2, "threads": 2}
      """
    let old = try JSONDecoder().decode(MachineCeilings.self, from: Data(json.utf8))
    #expect(old.isaPeaks == nil)
    #expect(old.peakGFLOPS(threads: 1, isa: .avx512) == 94.6)
    #expect(old.bestPeakGFLOPS(threads: 2) == 172.3)
  }

  @Test func thePeaksRoundTripThroughJSON() throws {
    let data = try JSONEncoder().encode(ceilings)
    #expect(try JSONDecoder().decode(MachineCeilings.self, from: data) == ceilings)
  }
}
