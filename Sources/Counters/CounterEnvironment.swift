import Foundation

/// What decides whether counters work here: PAPI's state, its components, virtualisation and
/// the kernel's `perf_event_paranoid`. Read once per process (`CounterEnvironment.current`).
public struct CounterEnvironment: Sendable {
  /// True when the package was built with the `PAPI` trait on Linux.
  public let builtWithPAPI: Bool
  /// PAPI's version (`"7.0.0.0"`, from `PAPI_get_opt(PAPI_LIB_VERSION)`), or nil.
  public let papiVersion: String?
  /// Why `PAPI_library_init`/`PAPI_thread_init` failed, or nil when PAPI is usable.
  public let libraryError: PAPIError?
  /// Compiled-in PAPI components that are disabled, as `name: reason`
  /// (`PAPI_get_component_info`), e.g. `perf_event: Error libpfm4 no default PMU found`.
  public let disabledComponents: [String]
  /// A description of the hypervisor when running in a VM, else nil. Sources: the
  /// `hypervisor` flag in `/proc/cpuinfo`, `/sys/devices/virtual/dmi/id/sys_vendor`, and
  /// `PAPI_get_hardware_info().virtualized`.
  public let virtualMachine: String?
  /// `/proc/sys/kernel/perf_event_paranoid`, or nil if unreadable. Above 2 blocks
  /// unprivileged counting; 2 allows user-space counting of one's own threads.
  public let perfEventParanoid: Int?
  /// Why PAPI cannot multiplex an event set here (`PAPI_multiplex_init`,
  /// `PAPI_assign_eventset_component`, `PAPI_set_multiplex`), or nil when it can.
  public let multiplexingError: PAPIError?

  /// The environment of this process, read once (thread-safe).
  public static var current: CounterEnvironment { detected }

  private static let detected = CounterEnvironment()

  private init() {
    #if PAPI && canImport(CPAPI)
      builtWithPAPI = true
    #else
      builtWithPAPI = false
    #endif
    switch PAPICalls.initialise() {
    case .success(let library):
      papiVersion = library.version
      libraryError = nil
      multiplexingError = library.multiplexInitError ?? Self.multiplexCheck()
    case .failure(let error):
      papiVersion = nil
      libraryError = error == .builtWithoutPAPI ? nil : error
      multiplexingError = error
    }
    disabledComponents = PAPICalls.components().compactMap { component in
      component.disabledReason.map { "\(component.name): \($0)" }
    }
    virtualMachine = Self.detectVirtualMachine()
    perfEventParanoid = Self.readInt("/proc/sys/kernel/perf_event_paranoid")
  }

  /// Why PAPI's perf_event component is disabled (the text after `perf_event: ` in
  /// `disabledComponents`), or nil when it is enabled. When set, the perf software events are
  /// counted with `perf_event_open` directly (`CounterSource.perfEventOpen`).
  public var perfEventDisabledReason: String? {
    disabledComponents.first { $0.hasPrefix("perf_event:") }
      .map { String($0.dropFirst("perf_event:".count)).trimmingCharacters(in: .whitespaces) }
  }

  /// One line of context appended to an unavailable event's reason, e.g.
  /// `"VM (KVM), perf_event_paranoid=2, perf_event: Error libpfm4 no default PMU found"`.
  public var contextNote: String {
    guard builtWithPAPI else { return CounterReason.builtWithoutPAPI }
    var parts: [String] = []
    if let virtualMachine { parts.append("VM detected (\(virtualMachine))") }
    if let perfEventParanoid { parts.append("perf_event_paranoid=\(perfEventParanoid)") }
    parts += disabledComponents.filter { $0.hasPrefix("perf_event:") }
    return parts.joined(separator: "; ")
  }

  private static func multiplexCheck() -> PAPIError? {
    guard case .success(let set) = PAPICalls.createEventSet() else { return nil }
    defer { _ = PAPICalls.destroyEventSet(set) }
    if case .failure(let error) = PAPICalls.makeMultiplexed(set) { return error }
    return nil
  }

  private static func detectVirtualMachine() -> String? {
    var evidence: [String] = []
    if let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      cpuinfo.split(separator: "\n").contains(where: {
        $0.hasPrefix("flags") && $0.split(separator: " ").contains("hypervisor")
      })
    {
      evidence.append("cpuinfo hypervisor flag")
    }
    if let vendor = readText("/sys/devices/virtual/dmi/id/sys_vendor"),
      ["QEMU", "KVM", "VMware", "Xen", "Microsoft", "innotek", "Amazon EC2", "Google"]
        .contains(where: vendor.contains)
    {
      evidence.append("DMI vendor \(vendor)")
    }
    if let papi = PAPICalls.virtualMachine(), papi.virtualized {
      evidence.append("PAPI: \(papi.vendor.isEmpty ? "virtualized" : papi.vendor)")
    }
    return evidence.isEmpty ? nil : evidence.joined(separator: ", ")
  }

  private static func readText(_ path: String) -> String? {
    (try? String(contentsOfFile: path, encoding: .utf8))?
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private static func readInt(_ path: String) -> Int? { readText(path).flatMap { Int($0) } }
}
