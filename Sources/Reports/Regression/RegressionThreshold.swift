/// The band ±T inside which a change counts as noise.
public enum RegressionThreshold {
  /// T for paired blocks (`sepbench ab`): 5 %.
  public static let pairedDefault = 0.05
  /// T for unpaired folders (`compare` of two runs, `check`): 10 %.
  public static let unpairedDefault = 0.10
}
