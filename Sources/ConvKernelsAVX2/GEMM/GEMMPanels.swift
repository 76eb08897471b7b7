import ConvKernels

/// The B operand of `GEMM.multiply`: 16-column panels, each `depth` rows of 16 floats.
///
/// Packed layout (`init(base:depth:columns:)`, made by `GEMMPacking`): `ceil(columns / 16)`
/// panels; panel `p` holds B columns `16p ..< 16p + 16` as `[k][16]` (16 contiguous floats
/// per k, one micro-kernel step), and panels follow each other at `depth * 16` floats.
/// Columns past `columns` in the last panel are zero.
///
/// Row-major layout (`init(rowMajor:ldb:depth:columns:)`): B as `[k][ldb]`; panel `p` is the
/// 16 columns at `16p` of every row (row stride `ldb`, panel stride 16). Rows must be readable
/// up to the next multiple of 16 (`ldb >= ceil(columns / 16) * 16`); the padding columns may
/// hold anything, because the results they produce are never stored. The NCHW im2col writes
/// this layout, whose long contiguous rows are cheaper to fill than panels.
///
/// Either way the micro-kernel computes 16 columns without reading out of bounds and the driver
/// does not store the padding columns. A value is a view (pointer and sizes); the memory
/// belongs to a `GEMMPackedWeights` or to a kernel's workspace `AlignedBuffer`.
package struct GEMMPanels {
  /// Start of panel 0.
  let base: UnsafePointer<Float>
  /// Number of B rows K available.
  let depth: Int
  /// Number of real B columns N (the last panel may be partly padding).
  let columns: Int
  /// Floats between the 16-float rows k and k + 1 of a panel (16 when packed).
  let rowStride: Int
  /// Floats between the starts of panels p and p + 1 (`depth * 16` when packed).
  let panelStride: Int

  /// A packed operand (see the type's discussion).
  init(base: UnsafePointer<Float>, depth: Int, columns: Int) {
    self.base = base
    self.depth = depth
    self.columns = columns
    rowStride = GEMM.nr
    panelStride = depth * GEMM.nr
  }

  /// A row-major `[depth][ldb]` operand (see the type's discussion).
  package init(rowMajor base: UnsafePointer<Float>, ldb: Int, depth: Int, columns: Int) {
    assert(ldb >= (columns + GEMM.nr - 1) / GEMM.nr * GEMM.nr)
    self.base = base
    self.depth = depth
    self.columns = columns
    rowStride = ldb
    panelStride = GEMM.nr
  }

  /// Number of panels.
  var panelCount: Int { (columns + GEMM.nr - 1) / GEMM.nr }
  /// Floats a buffer needs to hold `columns` columns of depth `depth` in the packed layout.
  package static func floatCount(depth: Int, columns: Int) -> Int {
    (columns + GEMM.nr - 1) / GEMM.nr * depth * GEMM.nr
  }
}
