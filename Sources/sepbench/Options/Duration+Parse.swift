/// Durations on the command line: a number and a unit (`ns`, `us`, `ms`, `s`), e.g. `5ms`.
enum DurationOption {
  /// Nanoseconds in `text`, which must be positive and at most one hour.
  static func nanoseconds(_ text: String, option: String) throws -> UInt64 {
    let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("ms", 1e6), ("s", 1e9)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
      let number = text.dropLast(suffix.count)
      if let value = Double(number), value > 0, value * scale <= 3.6e12, value.isFinite {
        return UInt64(value * scale)
      }
      break
    }
    throw UsageError(
      "\(option) '\(text)' is not allowed; use a positive duration up to 1 hour with a unit: ns, us, ms or s (e.g. 5ms)"
    )
  }
}
