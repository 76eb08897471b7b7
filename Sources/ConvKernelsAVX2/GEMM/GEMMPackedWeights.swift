import ConvKernels

/// Weights packed once, in `prepare`, as the B operand of `GEMM.multiply`, with an optional
/// per-column bias padded to whole panels (so the epilogue loads it with full vectors).
///
/// For an NHWC 1x1 stage (pointwise, or the pw half of a fused dw+pw block), build one from
/// the `[C_out][C_in]` weights (BN folded in, `bias` = BN shift) in `prepare`, then call
/// `multiply(rows:a:lda:c:ldc:relu:)` once per block of pixel rows, from as many tasks as
/// wanted: the object is read-only and the call has no shared state.
package final class GEMMPackedWeights: @unchecked Sendable {
  // @unchecked Sendable: written only in `init`, read-only afterwards.
  package let storage: AlignedBuffer
  let biasStorage: AlignedBuffer?
  /// K.
  let depth: Int
  /// N.
  let columns: Int

  /// Packs Wᵀ for a row-major `w` of `columns` rows by `depth` (`w[n * depth + k]`), e.g.
  /// pointwise weights `[C_out][C_in]`, or conv weights `[C_out][C_in*KH*KW]`. `bias`, when
  /// given, has `columns` values.
  package init(transposing w: [Float], depth: Int, columns: Int, bias: [Float]? = nil) {
    precondition(w.count == depth * columns, "weights \(w.count) != \(columns) x \(depth)")
    self.depth = depth
    self.columns = columns
    let storage = AlignedBuffer(count: GEMMPanels.floatCount(depth: depth, columns: columns))
    w.withUnsafeBufferPointer {
      GEMMPacking.packTransposed(
        $0.baseAddress!, ldw: depth, depth: depth, columns: columns, into: storage.pointer)
    }
    self.storage = storage
    biasStorage = bias.map { values in
      precondition(values.count == columns, "bias \(values.count) != \(columns) columns")
      let padded = AlignedBuffer(count: (columns + GEMM.nr - 1) / GEMM.nr * GEMM.nr, value: 0)
      for (n, v) in values.enumerated() { padded.pointer[n] = v }
      return padded
    }
  }

  /// The packed operand.
  package var panels: GEMMPanels {
    GEMMPanels(base: storage.pointer, depth: depth, columns: columns)
  }

  /// Bias padded with zeros to whole panels, or nil.
  var bias: UnsafePointer<Float>? { biasStorage.map { UnsafePointer($0.pointer) } }

  /// `C[i][n] = relu?(bias[n] + sum over k of A[i][k] * W[n][k])` for i in 0..<rows and n in
  /// `columns` (all output channels by default; a column split starts at a multiple of 16),
  /// on the calling thread. A: `rows x depth` row-major with row stride `lda` (NHWC pixels);
  /// C: row stride `ldc`, only the named elements are written (see `GEMM.multiply`).
  package func multiply(
    rows: Int, a: UnsafePointer<Float>, lda: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
    relu: Bool, columns: Range<Int>? = nil
  ) {
    GEMM.multiply(
      rows: rows, depth: depth, a: a, lda: lda, b: panels, columns: columns ?? 0..<self.columns,
      c: c, ldc: ldc, epilogue: GEMMEpilogue(bias: bias.map { .perColumn($0) } ?? .none, relu: relu)
    )
  }
}
