import ConvKernels

/// What `GEMM.multiply` does around the product: the accumulators start at a bias, and ReLU
/// is applied before the final store. `.none` gives a plain `C = A · B`. Shared by the ISA
/// targets; each states its own starting tiles (`GEMMEpilogue+Tiles.swift`).
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
}
