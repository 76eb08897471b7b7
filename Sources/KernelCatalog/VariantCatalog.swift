import ConvKernels
import ConvKernelsAVX2
import ConvKernelsAVX512

/// The GEMM-based kernels of each ISA target.
typealias AVX2Kernels = ConvKernelsAVX2.ISAKernels
typealias AVX512Kernels = ConvKernelsAVX512.ISAKernels

/// The single table of kernel families: one row per family, grouped by operator. Each family
/// states its operator, name, ISA, tile (in its summary) and layouts; `sepbench list variants`
/// prints them. Adding a family, or an ISA of one, touches its target, its row here and a test
/// (`EveryVariantTests` checks every row).
extension VariantRegistry {
  static let catalog: [any KernelVariant.Type] = [
    // conv
    ConvNaive.self,  // generic
    ConvIm2colGEMM<AVX2Kernels>.self,
    ConvIm2colGEMM<AVX512Kernels>.self,
    ConvDirectSIMD.self,  // avx2
    ConvWinograd<F2x2, AVX2Kernels>.self,
    ConvWinograd<F2x2, AVX512Kernels>.self,
    ConvWinograd<F4x4, AVX2Kernels>.self,
    ConvWinograd<F4x4, AVX512Kernels>.self,
    // dw
    DepthwiseNaive.self,  // generic
    DepthwiseTiled.self,  // avx2 (auto-vectorised)
    DepthwiseSIMD<AVX2Kernels>.self,
    DepthwiseSIMD<AVX512Kernels>.self,
    // pw
    PointwiseNaive.self,  // generic
    PointwiseTiled.self,  // avx2 (auto-vectorised)
    PointwisePackedGEMM<AVX2Kernels>.self,
    PointwisePackedGEMM<AVX512Kernels>.self,
    // sep_block
    SeparableBlockNaive.self,  // generic
    SeparableBlockUnfused.self,  // avx2
    SeparableBlockBNFolded<AVX2Kernels>.self,
    SeparableBlockBNFolded<AVX512Kernels>.self,
    SeparableBlockFused<AVX2Kernels>.self,
    SeparableBlockFused<AVX512Kernels>.self,
    // conv_block
    StandardBlockNaive.self,  // generic
    StandardBlockUnfused.self,  // avx2
    StandardBlockBNFolded<AVX2Kernels>.self,
    StandardBlockBNFolded<AVX512Kernels>.self,
    StandardBlockWinograd<F2x2, AVX2Kernels>.self,
    StandardBlockWinograd<F2x2, AVX512Kernels>.self,
    StandardBlockWinograd<F4x4, AVX2Kernels>.self,
    StandardBlockWinograd<F4x4, AVX512Kernels>.self,
  ]
}
