import Counters
import Testing

@Suite struct CounterColumnTests {
  @Test(arguments: [
    ("PAPI_TOT_CYC", "ctr_PAPI_TOT_CYC"),
    ("perf::TASK-CLOCK", "ctr_perf__TASK_CLOCK"),
    ("perf::CONTEXT-SWITCHES:k=1", "ctr_perf__CONTEXT_SWITCHES_k_1"),
    (
      "amd64_fam19h_zen3::RETIRED_SSE_AVX_FLOPS:ANY",
      "ctr_amd64_fam19h_zen3__RETIRED_SSE_AVX_FLOPS_ANY"
    ),
    ("é.x", "ctr___x"),
  ])
  func everyCharacterOutsideWordCharactersBecomesUnderscore(event: String, column: String) {
    #expect(CounterColumn.name(for: event) == column)
  }
}
