#ifndef SEPBENCH_CPAPI_H
#define SEPBENCH_CPAPI_H
#include <papi.h>

/// PAPI_VER_CURRENT is a macro expression that does not import into Swift.
static inline int cpapi_ver_current(void) { return PAPI_VER_CURRENT; }
#endif
