#ifndef SEPBENCH_CPAPI_H
#define SEPBENCH_CPAPI_H
#include <papi.h>

// Shims only for papi.h macros that do not import into Swift. Plain integer macros
// (PAPI_OK, PAPI_NULL, PAPI_ENOEVNT, PAPI_LIB_VERSION ...) import as constants and are not
// repeated here; every PAPI *function* is called from Counters/Internals/PAPICalls.swift.

/// PAPI_VER_CURRENT: `(PAPI_VERSION & 0xffff0000)`, built from the function-like macro
/// PAPI_VERSION_NUMBER, so Swift cannot see it. Passed to PAPI_library_init.
static inline int cpapi_ver_current(void) { return PAPI_VER_CURRENT; }

/// PAPI_VERSION_MAJOR/MINOR/REVISION/INCREMENT are function-like macros.
static inline int cpapi_version_major(int v) { return PAPI_VERSION_MAJOR(v); }
static inline int cpapi_version_minor(int v) { return PAPI_VERSION_MINOR(v); }
static inline int cpapi_version_revision(int v) { return PAPI_VERSION_REVISION(v); }
static inline int cpapi_version_increment(int v) { return PAPI_VERSION_INCREMENT(v); }
#endif
