#ifndef SEPBENCH_CPUID_QUERY_H
#define SEPBENCH_CPUID_QUERY_H

#include <stdint.h>

/// The four registers of the CPUID instruction for a leaf and subleaf.
typedef struct {
  uint32_t eax, ebx, ecx, edx;
} sepbench_cpuid_registers;

/// Executes CPUID(leaf, subleaf). Returns 0 and leaves `out` zeroed when the leaf is above the
/// CPU's highest one, or on a CPU that is not x86.
int sepbench_cpuid(uint32_t leaf, uint32_t subleaf, sepbench_cpuid_registers *out);

/// XGETBV(0): which register states the operating system saves (bit 1 SSE, 2 AVX, 5-7 the
/// AVX-512 opmask and ZMM states). 0 when OSXSAVE is off or on a CPU that is not x86.
uint64_t sepbench_xgetbv0(void);

#endif
