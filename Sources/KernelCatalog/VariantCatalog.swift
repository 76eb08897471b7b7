import ConvKernels
import ConvKernelsAVX2
import ConvKernelsAVX512

/// The single table of kernel families: one row per family, grouped by operator. Each family
/// states its operator, name, ISA, tile (in its summary) and layouts; `sepbench list variants`
/// prints them. Adding a family, or an ISA of one, touches its target, its row here and a test
/// (`EveryVariantTests` checks every row).
extension VariantRegistry {
  static let catalog: [any KernelVariant.Type] = [
    // conv
    ConvNaive.self,  // generic
    ConvIm2colGEMM<AVX2Target>.self,
    ConvIm2colGEMM<AVX512Target>.self,
    ConvDirectSIMD.self,  // avx2
    ConvDirectAVX512.self,  // avx512
    ConvWinograd<F2x2, AVX2Target>.self,
    ConvWinograd<F2x2, AVX512Target>.self,
    ConvWinograd<F4x4, AVX2Target>.self,
    ConvWinograd<F4x4, AVX512Target>.self,
    // dw
    DepthwiseNaive.self,  // generic
    DepthwiseTiled.self,  // avx2 (auto-vectorised)
    DepthwiseSIMD<AVX2Target>.self,
    DepthwiseSIMD<AVX512Target>.self,
    // pw
    PointwiseNaive.self,  // generic
    PointwiseTiled.self,  // avx2 (auto-vectorised)
    PointwisePackedGEMM<AVX2Target>.self,
    PointwisePackedGEMM<AVX512Target>.self,
    // sep_block
    SeparableBlockNaive.self,  // generic
    SeparableBlockUnfused.self,  // avx2
    SeparableBlockBNFolded<AVX2Target>.self,
    SeparableBlockBNFolded<AVX512Target>.self,
    SeparableBlockFused<AVX2Target>.self,
    SeparableBlockFused<AVX512Target>.self,
    // conv_block
    StandardBlockNaive.self,  // generic
    StandardBlockUnfused.self,  // avx2
    StandardBlockBNFolded<AVX2Target>.self,
    StandardBlockBNFolded<AVX512Target>.self,
    StandardBlockWinograd<F2x2, AVX2Target>.self,
    StandardBlockWinograd<F2x2, AVX512Target>.self,
    StandardBlockWinograd<F4x4, AVX2Target>.self,
    StandardBlockWinograd<F4x4, AVX512Target>.self,
  ]
}
