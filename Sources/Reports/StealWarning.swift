/// The line a run prints when the hypervisor took a noticeable share of the machine's CPU time
/// (`RunMetadata.stealPercent`): times measured then are slower for reasons no kernel
/// controls, and two-thread runs of microsecond kernels wait for a vCPU that is not running.
public enum StealWarning {
  /// At and above this share the warning is printed. An idle 2-vCPU guest here showed about
  /// 1 %; a busy one 18 %, with two-thread kernels up to hundreds of times slower than on one.
  public static let thresholdPercent = 5.0

  /// The warning for a run with `percent` stolen, or nil below `thresholdPercent`.
  public static func text(percent: Double) -> String? {
    guard percent >= thresholdPercent else { return nil }
    let shown = DecimalText.text(percent, digits: 1)
    return "Steal: the hypervisor took \(shown) % of this machine's CPU time during the run "
      + "(/proc/stat); microsecond and multi-thread times suffer most. Each row's share is in "
      + "steal_pct."
  }
}
