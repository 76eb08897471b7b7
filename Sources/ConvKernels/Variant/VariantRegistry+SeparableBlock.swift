extension VariantRegistry {
  /// Families of the `sep_block` operator, one line each.
  static let separableBlockFamilies: [any KernelVariant.Type] = [
    SeparableBlockNaive.self,
    SeparableBlockUnfused.self,
    SeparableBlockBNFolded.self,
    SeparableBlockFused.self,
  ]
}
