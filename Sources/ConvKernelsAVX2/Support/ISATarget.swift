import ConvKernels

/// What this target is compiled for, as the shared drivers and `GEMMKernels` name it.
enum ISATarget {
  static let isa = ISA.avx2
  static let familySuffix = ""
  static let tiles = "3x32 + 6x16"
}
