/// A Linux perf software event, named as libpfm4's `perf` PMU names it (the names PAPI's
/// perf_event component accepts), with PAPI's counting domain, so that the `perf_event_open`
/// fallback counts what PAPI would count under the same name.
///
/// Grammar: `perf::NAME[:u=0|1][:k=0|1]`, qualifiers in any order, each at most once.
/// `NAME` is one of libpfm4 4.13's software events, spelt as `papi_native_avail` prints them
/// (case-sensitive): `TASK-CLOCK`, `CPU-CLOCK`, `PAGE-FAULTS`, `MINOR-FAULTS`,
/// `MAJOR-FAULTS`, `CONTEXT-SWITCHES`, `CPU-MIGRATIONS`, `CGROUP-SWITCHES`, or the same with
/// their `PERF_COUNT_SW_*` names (`PERF_COUNT_SW_PAGE_FAULTS_MIN` for `MINOR-FAULTS`). perf
/// tool abbreviations (`cs`, `migrations`, `faults`) are not libpfm4 names and are rejected.
///
/// Domain, as PAPI 7 sets it (perf_event component, `_pe_update_control_state`): a qualifier
/// written as `:u=` or `:k=` sets that domain bit; an absent one comes from the event set's
/// domain, `PAPI_DOM_USER` by default. So:
///
/// | name                  | exclude_user | exclude_kernel | counts             |
/// | --------------------- | ------------ | -------------- | ------------------ |
/// | `perf::X`, `:u=1`     | 0            | 1              | user mode          |
/// | `perf::X:k=1`         | 0            | 0              | user + kernel mode |
/// | `perf::X:u=0:k=1`     | 1            | 0              | kernel mode        |
/// | `perf::X:u=0`         | 1            | 1              | nothing (as PAPI)  |
///
/// Context switches and migrations happen in the kernel, so they read 0 without `:k=1`.
/// `TASK-CLOCK` and `CPU-CLOCK` ignore the domain and always count user + system time of the
/// thread (measured here: 56.9 ms of `read(/dev/zero)` gives the same count with
/// exclude_kernel 0 or 1). Page faults are attributed to the mode that faulted: a kernel-mode
/// fault (e.g. in `copy_to_user`) needs `:k=1`. Kernel-domain events (`:k=1`) need
/// `perf_event_paranoid` <= 1 or `CAP_PERFMON`.
///
/// Bare qualifiers (`:k`) are rejected: libpfm4 reads `:k` as `k=1`, but PAPI only looks for
/// the text `:k=` and so overrides a bare `:k` with its default domain; there is no reading
/// that agrees with both. Other libpfm4 qualifiers (`h`, `period`, `freq`, `precise`, `excl`,
/// `mg`, `mh`, `cpu`, `pinned`, `hw_smpl`) are rejected too.
package struct SoftwareEvent: Equatable, Sendable, CustomStringConvertible {
  /// The software events of libpfm4's `perf` PMU; the raw value is libpfm4's short name.
  package enum Kind: String, CaseIterable, Sendable {
    case cpuClock = "CPU-CLOCK"
    case taskClock = "TASK-CLOCK"
    case pageFaults = "PAGE-FAULTS"
    case contextSwitches = "CONTEXT-SWITCHES"
    case cpuMigrations = "CPU-MIGRATIONS"
    case minorFaults = "MINOR-FAULTS"
    case majorFaults = "MAJOR-FAULTS"
    case cgroupSwitches = "CGROUP-SWITCHES"

    /// libpfm4's other name for the event, the kernel's `PERF_COUNT_SW_*` enumerator.
    package var kernelName: String {
      switch self {
      case .cpuClock: "PERF_COUNT_SW_CPU_CLOCK"
      case .taskClock: "PERF_COUNT_SW_TASK_CLOCK"
      case .pageFaults: "PERF_COUNT_SW_PAGE_FAULTS"
      case .contextSwitches: "PERF_COUNT_SW_CONTEXT_SWITCHES"
      case .cpuMigrations: "PERF_COUNT_SW_CPU_MIGRATIONS"
      case .minorFaults: "PERF_COUNT_SW_PAGE_FAULTS_MIN"
      case .majorFaults: "PERF_COUNT_SW_PAGE_FAULTS_MAJ"
      case .cgroupSwitches: "PERF_COUNT_SW_CGROUP_SWITCHES"
      }
    }

    init?(name: Substring) {
      guard let kind = Self.allCases.first(where: { $0.rawValue == name || $0.kernelName == name })
      else { return nil }
      self = kind
    }
  }

  /// Why a name is not a software event the fallback can count.
  package enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not `perf::` followed by one of `Kind`'s names.
    case notASoftwareEvent(String)
    /// A software event with a qualifier the fallback does not take (`h=1`, bare `k`, `k=2`).
    case unsupportedQualifier(event: String, qualifier: String)
    /// The same qualifier twice (`:k=1:k=0`); libpfm4 rejects it too.
    case repeatedQualifier(event: String, qualifier: String)

    package var description: String {
      switch self {
      case .notASoftwareEvent(let event):
        "'\(event)' is not one of the perf software events the perf_event_open fallback counts ("
          + Kind.allCases.map { "perf::\($0.rawValue)" }.joined(separator: ", ") + ")"
      case .unsupportedQualifier(let event, let qualifier):
        "'\(event)': the perf_event_open fallback takes only the qualifiers u=0|1 and k=0|1, "
          + "not '\(qualifier)'"
      case .repeatedQualifier(let event, let qualifier):
        "'\(event)': qualifier '\(qualifier)' is given twice"
      }
    }
  }

  /// The name as requested, e.g. `perf::CONTEXT-SWITCHES:k=1`.
  package let name: String
  /// Which software event.
  package let kind: Kind
  /// `perf_event_attr.exclude_user`: true only with `:u=0`.
  package let excludeUser: Bool
  /// `perf_event_attr.exclude_kernel`: false only with `:k=1` (PAPI's default domain is user).
  package let excludeKernel: Bool

  /// Parses `name`; see the type's description for the grammar and the domain rules.
  package static func parse(_ name: String) -> Result<SoftwareEvent, ParseError> {
    guard name.hasPrefix("perf::") else { return .failure(.notASoftwareEvent(name)) }
    let parts = name.dropFirst("perf::".count).split(
      separator: ":", omittingEmptySubsequences: false)
    guard let first = parts.first, let kind = Kind(name: first) else {
      return .failure(.notASoftwareEvent(name))
    }
    var user: Bool? = nil
    var kernel: Bool? = nil
    for qualifier in parts.dropFirst() {
      let value: Bool
      switch qualifier.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).last {
      case "1" where qualifier.count == 3: value = true
      case "0" where qualifier.count == 3: value = false
      default: return .failure(.unsupportedQualifier(event: name, qualifier: String(qualifier)))
      }
      switch qualifier.first {
      case "u":
        guard user == nil else { return .failure(.repeatedQualifier(event: name, qualifier: "u")) }
        user = value
      case "k":
        guard kernel == nil else {
          return .failure(.repeatedQualifier(event: name, qualifier: "k"))
        }
        kernel = value
      default: return .failure(.unsupportedQualifier(event: name, qualifier: String(qualifier)))
      }
    }
    return .success(
      SoftwareEvent(
        name: name, kind: kind, excludeUser: !(user ?? true), excludeKernel: !(kernel ?? false)))
  }

  /// `perf::TASK-CLOCK (exclude_user=0 exclude_kernel=1)`.
  package var description: String {
    "\(name) (exclude_user=\(excludeUser ? 1 : 0) exclude_kernel=\(excludeKernel ? 1 : 0))"
  }
}
