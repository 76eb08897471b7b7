import ConvKernels

/// Packing into the `GEMMPanels` layout. Untimed for weights (in `prepare`); timed when a
/// kernel packs activations (NCHW pointwise, im2col), which is part of those algorithms.
package enum GEMMPacking {
  /// Packs B = Wᵀ where W is row-major `[columns][depth]` with row stride `ldw` (for a
  /// convolution: OIHW weights, one output channel per row), i.e. B[k][n] = W[n][k].
  /// `dst` must hold `GEMMPanels.floatCount(depth:columns:)` floats.
  static func packTransposed(
    _ w: UnsafePointer<Float>, ldw: Int, depth: Int, columns: Int,
    into dst: UnsafeMutablePointer<Float>
  ) {
    let nr = GEMM.nr
    let panels = (columns + nr - 1) / nr
    for p in 0..<panels {
      let panel = dst + p * depth * nr
      for j in 0..<nr {
        let n = p * nr + j
        if n < columns {
          let row = w + n * ldw
          for k in 0..<depth { panel[k * nr + j] = row[k] }
        } else {
          for k in 0..<depth { panel[k * nr + j] = 0 }
        }
      }
    }
  }

  /// Packs columns `columnRange` of a row-major B `[depth][*]` with row stride `ldb` (e.g. an
  /// NCHW image: one channel per row, pixels along the row) as panels of a `GEMMPanels` whose
  /// column 0 is `columnRange.lowerBound`. Writes `GEMMPanels.floatCount(depth:columns:)` floats
  /// for `columns = columnRange.count`; never reads B past `columnRange`.
  package static func packRows(
    _ b: UnsafePointer<Float>, ldb: Int, depth: Int, columnRange: Range<Int>,
    into dst: UnsafeMutablePointer<Float>
  ) {
    let nr = GEMM.nr
    let count = columnRange.count
    var p = 0
    var out = dst
    while p + nr <= count {
      var src = b + columnRange.lowerBound + p
      for _ in 0..<depth {
        SIMD8<Float>.load(src).store(to: out)
        SIMD8<Float>.load(src + 8).store(to: out + 8)
        src += ldb
        out += nr
      }
      p += nr
    }
    if p < count {
      let tail = count - p
      var src = b + columnRange.lowerBound + p
      for _ in 0..<depth {
        for j in 0..<nr { out[j] = j < tail ? src[j] : 0 }
        src += ldb
        out += nr
      }
    }
  }
}
