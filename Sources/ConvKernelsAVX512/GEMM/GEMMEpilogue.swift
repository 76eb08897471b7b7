import ConvKernels

/// What `GEMM.multiply` does around the product: the accumulators start at a bias, and ReLU
/// is applied before the final store. `.none` gives a plain `C = A · B`. The same contract as
/// the AVX2 target's epilogue, with the starting tiles of the 16-wide register tiles.
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

  /// The starting 12x32 tile for rows `row ..< row + rows` (rows 1...12) at B column `column`
  /// (two whole panels).
  @inline(__always)
  func initialTile12x32(row: Int, rows: Int, column: Int) -> GEMMTile12x32 {
    switch bias {
    case .none: GEMMTile12x32(.zero, .zero)
    case .perColumn(let b): GEMMTile12x32(.load(b + column), .load(b + column + 16))
    case .perRow(let b): GEMMTile12x32(rowBias: b + row, rows: rows)
    }
  }

  /// The starting 12x16 tile for rows `row ..< row + rows` (rows 1...12) at B column `column`.
  @inline(__always)
  func initialTile12x16(row: Int, rows: Int, column: Int) -> GEMMTile12x16 {
    switch bias {
    case .none: GEMMTile12x16(.zero)
    case .perColumn(let b): GEMMTile12x16(.load(b + column))
    case .perRow(let b): GEMMTile12x16(rowBias: b + row, rows: rows)
    }
  }
}
