import ConvKernels

/// The starting 12x16 register tile of the AVX-512 `GEMM.multiply`: the accumulators at the
/// bias. (A 12x32 tile starts from `start12x32`, in `GEMMTile12x32.swift`.)
extension GEMMEpilogue {
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
