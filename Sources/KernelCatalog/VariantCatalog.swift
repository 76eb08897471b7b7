import ConvKernels
import ConvKernelsAVX2

/// The single table of kernel families: one row per family, grouped by operator. Each family
/// states its operator, name, ISA, tile (in its summary) and layouts; `sepbench list variants`
/// prints them. Adding a family, or an ISA of one, touches its target, its row here and a test
/// (`EveryVariantTests` checks every row).
extension VariantRegistry {
  static let catalog: [any KernelVariant.Type] = [
    // conv
    ConvNaive.self,  // generic
    ConvIm2colGEMM.self,  // avx2
    ConvDirectSIMD.self,  // avx2
    ConvWinograd<WinogradF2x2>.self,  // avx2
    ConvWinograd<WinogradF4x4>.self,  // avx2
    // dw
    DepthwiseNaive.self,  // generic
    DepthwiseTiled.self,  // avx2 (auto-vectorised)
    DepthwiseSIMD8.self,  // avx2
    // pw
    PointwiseNaive.self,  // generic
    PointwiseTiled.self,  // avx2 (auto-vectorised)
    PointwisePackedGEMM.self,  // avx2
    // sep_block
    SeparableBlockNaive.self,  // generic
    SeparableBlockUnfused.self,  // avx2
    SeparableBlockBNFolded.self,  // avx2
    SeparableBlockFused.self,  // avx2
    // conv_block
    StandardBlockNaive.self,  // generic
    StandardBlockUnfused.self,  // avx2
    StandardBlockBNFolded.self,  // avx2
    StandardBlockWinograd<WinogradF2x2>.self,  // avx2
    StandardBlockWinograd<WinogradF4x4>.self,  // avx2
  ]
}
