extension VariantRegistry {
  /// Families of the `pw` operator, one line each.
  static let pointwiseFamilies: [any KernelVariant.Type] = [
    PointwiseNaive.self,
    PointwiseTiled.self,
    PointwisePackedGEMM.self,
  ]
}
