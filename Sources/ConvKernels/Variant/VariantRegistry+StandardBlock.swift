extension VariantRegistry {
  /// Families of the `conv_block` operator, one line each.
  static let standardBlockFamilies: [any KernelVariant.Type] = [
    StandardBlockNaive.self,
    StandardBlockUnfused.self,
    StandardBlockBNFolded.self,
  ]
}
