#ifndef SEPBENCH_CPAPI_H
#define SEPBENCH_CPAPI_H
#include <papi.h>

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

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

// The perf_event_open fallback for the kernel's software events when PAPI's perf_event
// component is disabled (Counters/Internals/PerfEventCalls.swift). glibc has no wrapper for
// perf_event_open, and both syscall(2) and ioctl(2) are variadic, which Swift cannot call.

/// `syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags)`: -1 with errno set on
/// failure, else a file descriptor.
static inline int cpapi_perf_event_open(
    struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd, unsigned long flags) {
  return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);
}

/// `ioctl(fd, request, arg)` with an integer argument (the PERF_EVENT_IOC_* requests below take
/// 0 or PERF_IOC_FLAG_GROUP): -1 with errno set on failure.
static inline int cpapi_perf_ioctl(int fd, unsigned long request, unsigned long arg) {
  return ioctl(fd, request, arg);
}

/// PERF_EVENT_IOC_ENABLE/DISABLE/RESET are `_IO('$', n)`, function-like macros.
static inline unsigned long cpapi_perf_ioc_enable(void) { return PERF_EVENT_IOC_ENABLE; }
static inline unsigned long cpapi_perf_ioc_disable(void) { return PERF_EVENT_IOC_DISABLE; }
static inline unsigned long cpapi_perf_ioc_reset(void) { return PERF_EVENT_IOC_RESET; }
#endif
