import ConvKernels

/// What this target is compiled for, as the shared drivers and `GEMMKernels` name it.
enum ISATarget {
  static let isa = ISA.avx512
  static let familySuffix = "-avx512"
  static let tiles = "12x32 + 12x16"
}
