/// Splits `0..<total` into `parts` contiguous ranges whose sizes differ by at most one.
public struct RowPartition: Sendable {
  public let total: Int
  public let parts: Int

  public init(total: Int, parts: Int) {
    self.total = total
    self.parts = max(1, min(parts, max(total, 1)))
  }

  /// The range of part `index` (0-based).
  public func range(_ index: Int) -> Range<Int> {
    let base = total / parts
    let extra = total % parts
    let start = index * base + min(index, extra)
    return start..<(start + base + (index < extra ? 1 : 0))
  }
}
