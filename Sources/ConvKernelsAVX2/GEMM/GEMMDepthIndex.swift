import ConvKernels

/// Where a register tile finds element k of each of its A rows: the same offset, in floats
/// from each row's start, for every row of the tile.
///
/// The tiles' `accumulate` is generic over it and inlined, so each index compiles to its own
/// loop: `ContiguousDepth` to the plain `a[k]` broadcasts of the GEMM, `OffsetDepth` to one
/// more load per k step, shared by the tile's rows.
protocol GEMMDepthIndex {
  /// Floats from the start of a row to its element `k`.
  func offset(_ k: Int) -> Int
}

/// A rows stored with their elements next to each other: NHWC pixels, gathered im2col rows.
struct ContiguousDepth: GEMMDepthIndex {
  @inline(__always)
  func offset(_ k: Int) -> Int { k }
}

/// A rows read in place from an image: element k of every row at `offsets[k]` from the row's
/// start, e.g. the receptive field of an output pixel in NCHW planes, where each row starts at
/// its pixel's top-left input and `offsets[k]` steps to input channel c, row y, column x.
struct OffsetDepth: GEMMDepthIndex {
  let offsets: UnsafePointer<Int>

  @inline(__always)
  func offset(_ k: Int) -> Int { offsets[k] }
}
