extension VariantRegistry {
  /// Families of the `conv` operator, one line each.
  static let convFamilies: [any KernelVariant.Type] = [
    ConvNaive.self,
    ConvIm2colGEMM.self,
    ConvDirectSIMD.self,
  ]
}
