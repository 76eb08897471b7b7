/// The band ±T inside which a change counts as noise.
public enum RegressionThreshold {
  /// T for paired blocks (`sepbench ab`): 5 %.
  public static let pairedDefault = 0.05
  /// T for unpaired folders (`compare` of two runs, `check`): 10 %.
  public static let unpairedDefault = 0.10
  /// T for instruction counts (`--metric instructions`): 1 %. The counts repeat to the
  /// instruction, so the band only has to cover what the counter itself adds (PAPI's start
  /// and stop) and changes too small to matter.
  public static let instructionsDefault = 0.01
}
