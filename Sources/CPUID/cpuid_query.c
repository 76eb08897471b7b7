// Feature detection only: the two instructions Swift cannot issue by itself. No kernel code.
#include "cpuid_query.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

int sepbench_cpuid(uint32_t leaf, uint32_t subleaf, sepbench_cpuid_registers *out) {
  out->eax = out->ebx = out->ecx = out->edx = 0;
  unsigned int highest = __get_cpuid_max(leaf & 0x80000000u, 0);
  if (highest == 0 || leaf > highest) return 0;
  __cpuid_count(leaf, subleaf, out->eax, out->ebx, out->ecx, out->edx);
  return 1;
}

uint64_t sepbench_xgetbv0(void) {
  sepbench_cpuid_registers r;
  if (!sepbench_cpuid(1, 0, &r) || !(r.ecx & (1u << 27))) return 0;  // OSXSAVE
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((uint64_t)hi << 32) | lo;
}
#else
int sepbench_cpuid(uint32_t leaf, uint32_t subleaf, sepbench_cpuid_registers *out) {
  (void)leaf;
  (void)subleaf;
  out->eax = out->ebx = out->ecx = out->edx = 0;
  return 0;
}

uint64_t sepbench_xgetbv0(void) { return 0; }
#endif
