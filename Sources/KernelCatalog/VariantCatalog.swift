import ConvKernels
import ConvKernelsAVX2
import ConvKernelsAVX512

/// The GEMM-based kernels of each ISA target.
typealias AVX2GEMMKernels = ConvKernelsAVX2.GEMMKernels
typealias AVX512GEMMKernels = ConvKernelsAVX512.GEMMKernels

/// The single table of kernel families: one row per family, grouped by operator. Each family
/// states its operator, name, ISA, tile (in its summary) and layouts; `sepbench list variants`
/// prints them. Adding a family, or an ISA of one, touches its target, its row here and a test
/// (`EveryVariantTests` checks every row).
extension VariantRegistry {
  static let catalog: [any KernelVariant.Type] = [
    // conv
    ConvNaive.self,  // generic
    ConvIm2colGEMM<AVX2GEMMKernels>.self,
    ConvIm2colGEMM<AVX512GEMMKernels>.self,
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
    PointwisePackedGEMM<AVX2GEMMKernels>.self,
    PointwisePackedGEMM<AVX512GEMMKernels>.self,
    // sep_block
    SeparableBlockNaive.self,  // generic
    SeparableBlockUnfused.self,  // avx2
    SeparableBlockBNFolded<AVX2GEMMKernels>.self,
    SeparableBlockBNFolded<AVX512GEMMKernels>.self,
    SeparableBlockFused<AVX2GEMMKernels>.self,
    SeparableBlockFused<AVX512GEMMKernels>.self,
    // conv_block
    StandardBlockNaive.self,  // generic
    StandardBlockUnfused.self,  // avx2
    StandardBlockBNFolded<AVX2GEMMKernels>.self,
    StandardBlockBNFolded<AVX512GEMMKernels>.self,
    StandardBlockWinograd<WinogradF2x2>.self,  // avx2
    StandardBlockWinograd<WinogradF4x4>.self,  // avx2
  ]
}
