import ConvKernels

/// What identifies one measured case across runs: suite case, operator, variant family,
/// layout, threads and (where the files have the column) instruction set.
public struct CaseKey: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var suite: String
  public var caseName: String
  public var op: String
  public var variant: String
  public var layout: String
  public var threads: Int
  public var isa: String

  public init(
    suite: String, caseName: String, op: String, variant: String, layout: String, threads: Int,
    isa: String = ""
  ) {
    self.suite = suite
    self.caseName = caseName
    self.op = op
    self.variant = variant
    self.layout = layout
    self.threads = threads
    self.isa = isa
  }

  /// This key with an empty ISA: how a folder written before the `isa` column names it.
  public var withoutISA: CaseKey {
    var copy = self
    copy.isa = ""
    return copy
  }

  /// `op.variant.layout` with `.tN` (N > 1): the printed id, as `results.csv` has it. The ISA
  /// is not part of it: family names are unique per operator, and ids of folders written
  /// before the `isa` column (and rules in thresholds files) must keep matching.
  public var variantID: String {
    var id = "\(op).\(variant).\(layout)"
    if threads > 1 { id += ".t\(threads)" }
    return id
  }

  /// `case variant-id`, e.g. `q.c16h14s1 conv.naive.nchw`.
  public var description: String { "\(caseName) \(variantID)" }

  /// A seed derived from the key (FNV-1a), so each case's resampling is reproducible and
  /// independent of the order of cases.
  public var seed: UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in "\(suite)|\(description)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
  }

  public static func < (a: CaseKey, b: CaseKey) -> Bool {
    let x = [a.suite, a.caseName, a.op, a.variant, a.layout, a.isa]
    let y = [b.suite, b.caseName, b.op, b.variant, b.layout, b.isa]
    return x != y ? x.lexicographicallyPrecedes(y) : a.threads < b.threads
  }
}
