extension VariantRegistry {
  /// Families of the `dw` operator, one line each.
  static let depthwiseFamilies: [any KernelVariant.Type] = [
    DepthwiseNaive.self,
    DepthwiseTiled.self,
    DepthwiseSIMD8.self,
  ]
}
