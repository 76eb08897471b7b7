import ConvKernels

/// Every kernel family, from the one table in `VariantCatalog.swift`, and what this machine
/// can run of them.
public enum VariantRegistry {
  /// All families, in listing order (by operator, then as registered).
  public static var families: [any KernelVariant.Type] { catalog }

  /// Families that compute `op`.
  public static func families(for op: Op) -> [any KernelVariant.Type] {
    families.filter { $0.op == op }
  }

  /// The family named `family` for `op`, if registered.
  public static func family(op: Op, named family: String) -> (any KernelVariant.Type)? {
    families.first { $0.op == op && $0.family == family }
  }

  /// Every family name, sorted and without repeats.
  public static var familyNames: [String] { Array(Set(families.map { $0.family })).sorted() }

  /// Why `variant` must be skipped on `problem` (the operator's own part), or nil when it can
  /// run: a layout the family lacks, a CPU feature this machine lacks, or the family's own
  /// reason.
  /// `available` is what the CPU offers (tests pass their own).
  public static func skipReason(
    _ variant: any KernelVariant, on problem: ConvProblem,
    available: CPUFeatures = CPUFeatures.current
  ) -> String? {
    let type = type(of: variant)
    if !type.layouts.contains(variant.layout) {
      return "\(type.family) has no \(variant.layout.rawValue) version"
    }
    // Checked before anything of the family runs: code compiled for an ISA this CPU (or its
    // OS) lacks would die of SIGILL.
    let missing = type.requires.subtracting(available)
    if !missing.isEmpty {
      return "needs CPU features \(missing) that this CPU lacks"
    }
    return variant.unsupportedReason(problem)
  }

  /// Every combination of the given families, layouts and thread counts that the family
  /// implements (unthreaded families only with 1 thread).
  public static func variants(
    of families: [any KernelVariant.Type], layouts: [Layout], threads: [Int]
  ) -> [any KernelVariant] {
    families.flatMap { family in
      layouts.filter(family.layouts.contains).flatMap { layout in
        threads.filter { family.isThreaded || $0 == 1 }.map {
          family.init(layout: layout, threads: $0)
        }
      }
    }
  }
}
