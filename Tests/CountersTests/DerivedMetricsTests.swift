import Counters
import Testing

@Suite struct DerivedMetricsTests {
  @Test func allMetricsFromHandComputedInputs() {
    let m = DerivedMetrics(
      counters: [
        "PAPI_TOT_CYC": 3_000_000, "PAPI_TOT_INS": 6_000_000, "PAPI_L1_DCM": 50_000,
        "PAPI_L2_DCM": 4_000, "PAPI_FP_OPS": 1_800_000,
      ],
      macs: 1_000_000, flops: 2_000_000, timeNanoseconds: 750_000, threads: 2)
    #expect(m.ipc == 2)  // 6e6 / 3e6
    #expect(m.instructionsPerMAC == 6)  // 6e6 / 1e6
    #expect(m.l1MissesPer1000MACs == 50)  // 1000 * 5e4 / 1e6
    #expect(m.l2MissesPer1000MACs == 4)  // 1000 * 4e3 / 1e6
    #expect(m.fpOpsRatio == 0.9)  // 1.8e6 / 2e6
    #expect(m.achievedGHz == 2)  // 3e6 cycles / (750 µs * 2 threads)
  }

  @Test func missingInputsGiveNilNotZero() {
    let m = DerivedMetrics(
      counters: ["PAPI_TOT_INS": 10], macs: 5, flops: 10, timeNanoseconds: 100)
    #expect(m.ipc == nil)
    #expect(m.instructionsPerMAC == 2)
    #expect(m.l1MissesPer1000MACs == nil)
    #expect(m.l2MissesPer1000MACs == nil)
    #expect(m.fpOpsRatio == nil)
    #expect(m.achievedGHz == nil)
    #expect(
      m.columns.map(\.name) == [
        "ipc", "instructions_per_mac", "l1_misses_per_kmac", "l2_misses_per_kmac", "fp_ops_ratio",
        "achieved_ghz",
      ])
  }

  @Test func zeroDenominatorsGiveNil() {
    let m = DerivedMetrics(
      counters: ["PAPI_TOT_CYC": 0, "PAPI_TOT_INS": 5], macs: 0, flops: 0, timeNanoseconds: 0)
    #expect(
      m.ipc == nil && m.instructionsPerMAC == nil && m.fpOpsRatio == nil && m.achievedGHz == nil)
  }
}
