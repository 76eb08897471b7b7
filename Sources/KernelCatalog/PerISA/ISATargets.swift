import ConvKernels
import ConvKernelsAVX2
import ConvKernelsAVX512

/// One ISA target as the catalog's per-ISA families see it: how its families are named and
/// described, stated here (this module has no ISA flags, so listing and selecting families
/// runs no instruction of the target), and its kernels, which the families call only from
/// `prepare`, after the registry's CPU check.
protocol ISATarget {
  /// The target's kernels.
  associatedtype Kernels: ISAKernelSet
  /// The level the target is compiled for.
  static var isa: ISA { get }
  /// Appended to the family names (`""` for AVX2, `"-avx512"`), so families of different
  /// ISAs never share a `variant` name.
  static var familySuffix: String { get }
  /// The GEMM's register tiles, for summaries.
  static var tiles: String { get }
  /// Channels per vector of the NHWC depthwise kernel (its family is `simd<lanes>`).
  static var depthwiseLanes: Int { get }
  /// Layouts of the depthwise family.
  static var depthwiseLayouts: Set<Layout> { get }
  /// The planar-input stems the target builds (`PlanarInputStem`), fastest first where known.
  static var planarStems: [PlanarStemAlgorithm] { get }
  /// The summary of the target's planar-input stem by `algorithm`.
  static func planarStemSummary(_ algorithm: PlanarStemAlgorithm) -> String
}

/// `ConvKernelsAVX2`: 3x32 + 6x16 tiles on 16 ymm, 8 channels per depthwise vector.
enum AVX2Target: ISATarget {
  typealias Kernels = ConvKernelsAVX2.ISAKernels
  static var isa: ISA { .avx2 }
  static var familySuffix: String { "" }
  static var tiles: String { "3x32 + 6x16" }
  static var depthwiseLanes: Int { 8 }
  static var depthwiseLayouts: Set<Layout> { [.nchw, .nhwc] }
  static var planarStems: [PlanarStemAlgorithm] { [.direct, .im2col] }
  static func planarStemSummary(_ algorithm: PlanarStemAlgorithm) -> String {
    switch algorithm {
    case .direct:
      "NCHW image in, NHWC out: the 3x32 + 6x16 GEMM tiles read the planes in place through a table of field offsets, BN folded, ReLU in the epilogue"
    case .im2col:
      "NCHW image in, NHWC out: im2col rows gathered from the planes, 3x32 + 6x16 FMA GEMM with BN folded, ReLU in the epilogue"
    }
  }
}

/// `ConvKernelsAVX512`: 12x32 + 12x16 tiles on 32 zmm, 16 channels per depthwise vector.
enum AVX512Target: ISATarget {
  typealias Kernels = ConvKernelsAVX512.ISAKernels
  static var isa: ISA { .avx512 }
  static var familySuffix: String { "-avx512" }
  static var tiles: String { "12x32 + 12x16" }
  static var depthwiseLanes: Int { 16 }
  /// NHWC only: the NCHW depthwise kernel runs 8-wide along W whatever the target.
  static var depthwiseLayouts: Set<Layout> { [.nhwc] }
  static var planarStems: [PlanarStemAlgorithm] { [.direct] }
  static func planarStemSummary(_ algorithm: PlanarStemAlgorithm) -> String {
    "NCHW image in, NHWC out: the planes gathered into the zero-padded NHWC copy of direct-avx512, 12x32 register tiles over all taps, BN folded, ReLU in the epilogue"
  }
}
