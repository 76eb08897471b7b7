import ConvKernels

/// The starting register tiles of the AVX2 `GEMM.multiply`: the accumulators at the bias.
extension GEMMEpilogue {
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

  /// The starting two-row tile for rows `row ..< row + 2` at B column `column` (two whole
  /// panels).
  @inline(__always)
  func initialTile2x32(row: Int, column: Int) -> GEMMTile2x32 {
    switch bias {
    case .none:
      return GEMMTile2x32(.zero, .zero, .zero, .zero)
    case .perColumn(let b):
      let p = b + column
      return GEMMTile2x32(.load(p), .load(p + 8), .load(p + 16), .load(p + 24))
    case .perRow(let b):
      return GEMMTile2x32(rowBias: b[row], b[row + 1])
    }
  }

  /// The starting one-row tile for row `row` at B column `column`, over `32 * pairs` columns
  /// (pairs 1 or 2, whole panels).
  @inline(__always)
  func initialTile1x64(row: Int, column: Int, pairs: Int) -> GEMMTile1x64 {
    switch bias {
    case .none:
      return GEMMTile1x64(.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
    case .perColumn(let b):
      let p = b + column
      var tile = GEMMTile1x64(
        .load(p), .load(p + 8), .load(p + 16), .load(p + 24), .zero, .zero, .zero, .zero)
      if pairs == 2 {
        (tile.c4, tile.c5, tile.c6, tile.c7) = (
          .load(p + 32), .load(p + 40), .load(p + 48), .load(p + 56)
        )
      }
      return tile
    case .perRow(let b):
      let v = SIMD8<Float>(repeating: b[row])
      return GEMMTile1x64(v, v, v, v, v, v, v, v)
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
