/// The B operand of `GEMM.multiply`, packed in column panels for the 6x16 micro-kernel.
///
/// Layout: `ceil(columns / 16)` panels; panel `p` holds B columns `16p ..< 16p + 16` as
/// `[k][16]` (16 contiguous floats per k, one micro-kernel step), and panels follow each other
/// at `panelStride = depth * 16` floats. Columns past `columns` in the last panel are zero,
/// so the micro-kernel always computes 16 columns without reading out of bounds and the
/// driver simply does not store the padding columns.
///
/// A value is a view (pointer and sizes); the memory belongs to a `GEMMPackedWeights` or to a
/// kernel's workspace `AlignedBuffer`.
package struct GEMMPanels {
  /// Start of panel 0.
  package let base: UnsafePointer<Float>
  /// Length K of every panel (number of `[16]` rows).
  package let depth: Int
  /// Number of real B columns N (the last panel may be partly padding).
  package let columns: Int

  package init(base: UnsafePointer<Float>, depth: Int, columns: Int) {
    self.base = base
    self.depth = depth
    self.columns = columns
  }

  /// Floats between the starts of two panels.
  package var panelStride: Int { depth * GEMM.nr }
  /// Number of panels.
  package var panelCount: Int { (columns + GEMM.nr - 1) / GEMM.nr }
  /// Floats a buffer needs to hold `columns` columns of depth `depth` in this layout.
  package static func floatCount(depth: Int, columns: Int) -> Int {
    (columns + GEMM.nr - 1) / GEMM.nr * depth * GEMM.nr
  }
}
