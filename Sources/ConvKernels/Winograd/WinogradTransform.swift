/// Winograd minimal filtering F(m x m, 3 x 3) (Lavin and Gray, "Fast Algorithms for
/// Convolutional Neural Networks", 2016): the ISA-free half of the `winograd` families.
///
/// The output is cut into m x m tiles. Each tile reads an α x α input patch (α = m + 2) at
/// `(tile row * m - pad, tile column * m - pad)` and computes, for every pair of channels,
///
///     Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
///
/// so the 9 m² multiplications of a direct tile become α² element-wise products. Summed over
/// the input channels, the products are α² independent GEMMs (one per transformed position
/// ξ): `M[ξ][tile][oc] = Σ_ic V[ξ][tile][ic] · U[ξ][ic][oc]`.
///
/// Interpolation points: F(2x2,3x3) uses 0, ±1 and ∞; F(4x4,3x3) uses 0, ±1, ±2 and ∞ (the
/// matrices below). Larger tiles need points such as ±1/2, whose transforms grow the rounding
/// error by a further order of magnitude, so F(6x6,3x3) is not offered.
///
/// This type holds the matrices and everything derived from them that is not timed: the tile
/// grid, the weight transform (done in `prepare`, in Double), the cost and the error bound.
/// The timed SIMD input and output transforms live in the ISA targets.
public struct WinogradTransform: Sendable {
  /// Output tile side m.
  public let m: Int
  /// Input transform Bᵀ, α x α.
  public let inputTransform: [[Double]]
  /// Filter transform G, α x 3.
  public let filterTransform: [[Double]]
  /// Output transform Aᵀ, m x α.
  public let outputTransform: [[Double]]

  /// Input tile side α = m + 2.
  public var alpha: Int { m + 2 }

  /// F(2x2, 3x3): 16 products for 4 outputs (2.25x fewer multiplications than direct).
  public static let f2x2 = WinogradTransform(
    m: 2,
    inputTransform: [
      [1, 0, -1, 0],
      [0, 1, 1, 0],
      [0, -1, 1, 0],
      [0, 1, 0, -1],
    ],
    filterTransform: [
      [1, 0, 0],
      [0.5, 0.5, 0.5],
      [0.5, -0.5, 0.5],
      [0, 0, 1],
    ],
    outputTransform: [
      [1, 1, 1, 0],
      [0, 1, -1, -1],
    ])

  /// F(4x4, 3x3): 36 products for 16 outputs (4x fewer multiplications than direct).
  public static let f4x4 = WinogradTransform(
    m: 4,
    inputTransform: [
      [4, 0, -5, 0, 1, 0],
      [0, -4, -4, 1, 1, 0],
      [0, 4, -4, -1, 1, 0],
      [0, -2, -1, 2, 1, 0],
      [0, 2, -1, -2, 1, 0],
      [0, 4, 0, -5, 0, 1],
    ],
    filterTransform: [
      [1.0 / 4, 0, 0],
      [-1.0 / 6, -1.0 / 6, -1.0 / 6],
      [-1.0 / 6, 1.0 / 6, -1.0 / 6],
      [1.0 / 24, 1.0 / 12, 1.0 / 6],
      [1.0 / 24, -1.0 / 12, 1.0 / 6],
      [0, 0, 1],
    ],
    outputTransform: [
      [1, 1, 1, 1, 1, 0],
      [0, 1, -1, 2, -2, 0],
      [0, 1, 1, 4, 4, 0],
      [0, 1, -1, 8, -8, 1],
    ])

  /// Why the algorithm cannot compute `problem`, or nil: it needs a dense 3x3 kernel at
  /// stride 1 (any padding).
  public static func unsupportedReason(_ problem: ConvProblem) -> String? {
    if problem.kernelH != 3 || problem.kernelW != 3 {
      return
        "Winograd F(m x m, 3 x 3) needs a 3x3 kernel, got \(problem.kernelH)x\(problem.kernelW)"
    }
    if problem.stride != 1 {
      return "Winograd needs stride 1, got stride \(problem.stride)"
    }
    if problem.groups != 1 { return "needs groups = 1, got \(problem.groups)" }
    return nil
  }

  /// Tiles per image: `(ceil(h_out / m), ceil(w_out / m))`. Tiles on the bottom and right
  /// edges may reach past the output; their extra outputs are computed and not stored.
  public func tileGrid(_ problem: ConvProblem) -> (rows: Int, columns: Int) {
    ((problem.outHeight + m - 1) / m, (problem.outWidth + m - 1) / m)
  }

  /// Tiles of the whole batch.
  public func tileCount(_ problem: ConvProblem) -> Int {
    let grid = tileGrid(problem)
    return problem.batch * grid.rows * grid.columns
  }

  /// FLOPs of one 1D transform by `matrix` (one product with a vector), counted from the
  /// matrix: per row with k non-zero entries, k - 1 additions plus one multiplication per
  /// entry other than ±1. (The SIMD code shares subexpressions and may do fewer.)
  static func flops1D(_ matrix: [[Double]]) -> Int {
    matrix.reduce(0) { total, row in
      let nonZero = row.filter { $0 != 0 }
      return total + max(0, nonZero.count - 1) + nonZero.filter { abs($0) != 1 }.count
    }
  }

  /// FLOPs of transforming one α x α input patch of one channel: Bᵀ on α columns, then on α
  /// rows.
  public var inputFlopsPerTileChannel: Int { 2 * alpha * Self.flops1D(inputTransform) }
  /// FLOPs of transforming one tile's α x α products of one output channel back: Aᵀ on α
  /// columns, then on m rows.
  public var outputFlopsPerTileChannel: Int { (alpha + m) * Self.flops1D(outputTransform) }

  /// The products and transform FLOPs of one convolution: `tiles * α² * C_in * C_out`
  /// multiplications, and the input and output transforms of every tile and channel.
  public func cost(_ problem: ConvProblem) -> AlgorithmCost {
    let tiles = tileCount(problem)
    return AlgorithmCost(
      mults: tiles * alpha * alpha * problem.inChannels * problem.outChannels,
      transformFlops: tiles
        * (problem.inChannels * inputFlopsPerTileChannel
          + problem.outChannels * outputFlopsPerTileChannel))
  }

  /// How much larger than a direct 3x3 sum the rounding error may grow, to first order.
  ///
  /// In one dimension a direct output sums 3 products, each at most `max|g| max|d|`. Winograd
  /// sums, over ξ, `Aᵀ[i][ξ] (G g)[ξ] (Bᵀ d)[ξ]`, whose terms reach
  /// `|Aᵀ[i][ξ]| ‖G[ξ]‖₁ ‖Bᵀ[ξ]‖₁ max|g| max|d|`, and every rounding error is relative to
  /// the term it is made in. The growth in 1D is the worst output row's
  /// `Σ_ξ |Aᵀ[i][ξ]| ‖G[ξ]‖₁ ‖Bᵀ[ξ]‖₁ / 3`, and in 2D its square (the transforms are applied
  /// along both axes): 64/9 ≈ 7.1 for F(2x2,3x3) and 16² = 256 for F(4x4,3x3). It is a
  /// worst-case bound: measured errors stay far below it (see the README).
  public var errorGrowth: Double {
    func norm1(_ row: [Double]) -> Double { row.reduce(0) { $0 + abs($1) } }
    var growth1D = 0.0
    for row in outputTransform {
      var sum = 0.0
      for xi in row.indices {
        sum += abs(row[xi]) * norm1(filterTransform[xi]) * norm1(inputTransform[xi])
      }
      growth1D = max(growth1D, sum / 3)
    }
    return growth1D * growth1D
  }

  /// The transformed weights `U = G g Gᵀ` of OIHW 3x3 `weights`, computed in Double: for each
  /// ξ = i * α + j, a `[C_out][C_in]` row-major matrix (the layout `GEMMPackedWeights`
  /// transposes).
  public func transformWeights(_ weights: [Float], inChannels: Int, outChannels: Int)
    -> [[Float]]
  {
    precondition(weights.count == outChannels * inChannels * 9, "expected 3x3 OIHW weights")
    let a = alpha
    var result = [[Float]](
      repeating: [Float](repeating: 0, count: outChannels * inChannels), count: a * a)
    var gg = [Double](repeating: 0, count: a * 3)  // G g: α x 3
    for oc in 0..<outChannels {
      for ic in 0..<inChannels {
        let g = (oc * inChannels + ic) * 9
        for i in 0..<a {
          for c in 0..<3 {
            var sum = 0.0
            for k in 0..<3 { sum += filterTransform[i][k] * Double(weights[g + k * 3 + c]) }
            gg[i * 3 + c] = sum
          }
        }
        for i in 0..<a {
          for j in 0..<a {
            var sum = 0.0
            for k in 0..<3 { sum += gg[i * 3 + k] * filterTransform[j][k] }
            result[i * a + j][oc * inChannels + ic] = Float(sum)
          }
        }
      }
    }
    return result
  }
}
