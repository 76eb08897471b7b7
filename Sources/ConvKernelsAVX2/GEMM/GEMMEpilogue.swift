import ConvKernels

/// What `GEMM.multiply` does around the product: the accumulators start at a bias, and ReLU
/// is applied before the final store. `.none` gives a plain `C = A · B`.
package struct GEMMEpilogue {
  /// Where the bias lives.
  package enum Bias {
    /// No bias: accumulators start at zero.
    case none
    /// `bias[j]` for B column j (NHWC output channel). Must be readable for whole 16-column
    /// panels (`GEMMPackedWeights.bias` is padded so).
    case perColumn(UnsafePointer<Float>)
    /// `bias[i]` for row i of the `multiply` call (NCHW output channel); offset it with the
    /// row block. Only `bias[0..<rows]` is read.
    case perRow(UnsafePointer<Float>)
  }

  var bias: Bias
  var relu: Bool

  package init(bias: Bias = .none, relu: Bool = false) {
    self.bias = bias
    self.relu = relu
  }

  /// No bias, no ReLU.
  package static var none: GEMMEpilogue { GEMMEpilogue() }

  /// The starting 3x32 tile for rows `row ..< row + rows` (rows 1...3) at B column `column`
  /// (two whole panels).
  @inline(__always)
  func initialTile3x32(row: Int, rows: Int, column: Int) -> GEMMTile3x32 {
    switch bias {
    case .none:
      return GEMMTile3x32(.zero, .zero, .zero, .zero)
    case .perColumn(let b):
      let p = b + column
      return GEMMTile3x32(.load(p), .load(p + 8), .load(p + 16), .load(p + 24))
    case .perRow(let b):
      let p = b + row
      return GEMMTile3x32(rowBias: p[0], rows > 1 ? p[1] : 0, rows > 2 ? p[2] : 0)
    }
  }

  /// The starting tile for rows `row ..< row + rows` (rows 1...6) at B column `column`.
  @inline(__always)
  func initialTile(row: Int, rows: Int, column: Int) -> GEMMTile6x16 {
    switch bias {
    case .none:
      return GEMMTile6x16(lo: .zero, hi: .zero)
    case .perColumn(let b):
      return GEMMTile6x16(lo: .load(b + column), hi: .load(b + column + 8))
    case .perRow(let b):
      if rows == GEMM.mr { return GEMMTile6x16(rowBias: b + row) }
      var tile = GEMMTile6x16(lo: .zero, hi: .zero)
      for i in 0..<rows {
        let v = SIMD8<Float>(repeating: b[row + i])
        tile.setRow(i, (v, v))
      }
      return tile
    }
  }
}
