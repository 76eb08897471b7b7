import ConvKernels
import ConvKernelsAVX2
import Testing

@Suite struct GEMMTests {
  /// Plain triple loop in Double: C[i][j] = bias + sum_k A[i][k] * B[k][j], then ReLU.
  static func expected(
    a: [Float], lda: Int, b: [Float], rows: Int, depth: Int, columns: Int,
    bias: (Int, Int) -> Double, relu: Bool
  ) -> [Double] {
    var c = [Double](repeating: 0, count: rows * columns)
    for i in 0..<rows {
      for j in 0..<columns {
        var acc = bias(i, j)
        for k in 0..<depth { acc += Double(a[i * lda + k]) * Double(b[k * columns + j]) }
        c[i * columns + j] = relu ? max(0, acc) : acc
      }
    }
    return c
  }

  @Test func packTransposedLaysOutSixteenColumnPanelsWithZeroPadding() {
    // W is 3 columns (rows of W) x 2 deep: B = Wᵀ is 2 x 3.
    let w: [Float] = [1, 2, 3, 4, 5, 6]
    let packed = GEMMPackedWeights(transposing: w, depth: 2, columns: 3)
    let values = Array(UnsafeBufferPointer(start: packed.storage.pointer, count: 32))
    #expect(values[0..<3] == [1, 3, 5])
    #expect(values[16..<19] == [2, 4, 6])
    #expect(values[3..<16].allSatisfy { $0 == 0 } && values[19..<32].allSatisfy { $0 == 0 })
  }

  @Test func packRowsCopiesTheColumnRangeAndZeroesTheTail() {
    // B is 2 rows x 20 columns, b[k][n] = 100 k + n; pack columns 2..<20 (18 = 16 + 2).
    let b = (0..<40).map { Float(($0 / 20) * 100 + $0 % 20) }
    var dst = [Float](repeating: .nan, count: GEMMPanels.floatCount(depth: 2, columns: 18))
    b.withUnsafeBufferPointer { src in
      dst.withUnsafeMutableBufferPointer {
        GEMMPacking.packRows(
          src.baseAddress!, ldb: 20, depth: 2, columnRange: 2..<20, into: $0.baseAddress!)
      }
    }
    #expect(dst.count == 64)
    #expect(Array(dst[0..<16]) == (2..<18).map(Float.init))
    #expect(Array(dst[16..<32]) == (2..<18).map { Float(100 + $0) })
    #expect(Array(dst[32..<48]) == [18, 19] + [Float](repeating: 0, count: 14))
    #expect(Array(dst[48..<64]) == [118, 119] + [Float](repeating: 0, count: 14))
  }

  /// Row counts around the 3- and 6-row tiles, columns around 8, 16 and 32 (pairs of panels
  /// for the 3x32 tile, then a whole, odd or partial panel for the 6x16 one) and across the
  /// 128-column block, depth across K blocks (512), per-column and per-row bias, ReLU. C has a
  /// wider stride, pre-filled with NaN, and the elements outside the result must stay NaN.
  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 13], [1, 8, 15, 16, 17, 33, 64, 80, 300])
  func multiplyMatchesTripleLoopAndWritesOnlyItsBlock(rows: Int, columns: Int) {
    for depth in [1, 7, 300, 513] {
      for biasKind in 0..<3 {
        let lda = depth + 3
        let ldc = columns + 5
        let a = (0..<(rows * lda)).map { Float(($0 * 7) % 11) - 5 }
        let b = (0..<(depth * columns)).map { Float(($0 * 5) % 13) - 6 }
        let rowBias = (0..<rows).map { Float($0) - 2.5 }
        let columnBias = (0..<((columns + 15) / 16 * 16)).map { Float($0 % 5) - 2 }
        // B as Wᵀ: W[n][k] = B[k][n].
        var w = [Float](repeating: 0, count: depth * columns)
        for k in 0..<depth { for n in 0..<columns { w[n * depth + k] = b[k * columns + n] } }
        let packed = GEMMPackedWeights(transposing: w, depth: depth, columns: columns)
        var c = [Float](repeating: .nan, count: rows * ldc + 4)
        a.withUnsafeBufferPointer { ap in
          rowBias.withUnsafeBufferPointer { rb in
            columnBias.withUnsafeBufferPointer { cb in
              c.withUnsafeMutableBufferPointer { cp in
                let bias: GEMMEpilogue.Bias =
                  biasKind == 0
                  ? .none : biasKind == 1 ? .perRow(rb.baseAddress!) : .perColumn(cb.baseAddress!)
                GEMM.multiply(
                  rows: rows, depth: depth, a: ap.baseAddress!, lda: lda, b: packed.panels,
                  columns: 0..<columns, c: cp.baseAddress!, ldc: ldc,
                  epilogue: GEMMEpilogue(bias: bias, relu: biasKind == 2))
              }
            }
          }
        }
        let want = Self.expected(
          a: a, lda: lda, b: b, rows: rows, depth: depth, columns: columns,
          bias: { i, j in
            biasKind == 0 ? 0 : biasKind == 1 ? Double(rowBias[i]) : Double(columnBias[j])
          },
          relu: biasKind == 2)
        var wrong = 0
        var strayWrites = 0
        for i in 0..<rows {
          for j in 0..<ldc {
            let got = c[i * ldc + j]
            if j < columns {
              if Double(got) != want[i * columns + j] { wrong += 1 }  // small integers: exact
            } else if !got.isNaN {
              strayWrites += 1
            }
          }
        }
        #expect(wrong == 0, "rows \(rows) columns \(columns) depth \(depth) bias \(biasKind)")
        #expect(strayWrites == 0 && c[(rows * ldc)...].allSatisfy(\.isNaN))
      }
    }
  }

  /// The 3x32 tile (two whole panels), the one-row tile (the last row of a call whose rows
  /// leave 1 after the 3-row tiles; 64 columns, then 32), the two-row tile (the last two rows
  /// of a call whose rows leave 2) and the 6x16 and 5x16 tiles (one panel) sum every element
  /// in the same order: a call for 32, 64 or 96 columns equals, bit for bit, one call per
  /// 16-column panel, on values that round, over two K blocks, with a per-column or a per-row
  /// bias and ReLU.
  @Test(arguments: [1, 2, 4, 5, 7, 8, 49], [false, true])
  func pairTilesMatchSixBySixteenBitwise(rows: Int, perRow: Bool) {
    let depth = 700
    for width in [32, 64, 96] {
      var random = SplitMix64(seed: 11)
      let a = (0..<(rows * depth)).map { _ in random.nextSignedUnitFloat() }
      let w = (0..<(width * depth)).map { _ in random.nextSignedUnitFloat() }
      let columnBias = (0..<width).map { Float($0 % 7) * 0.1 - 0.3 }
      let rowBias = (0..<rows).map { Float($0 % 5) * 0.2 - 0.4 }
      let packed = GEMMPackedWeights(transposing: w, depth: depth, columns: width)
      /// C from one `multiply` call per column range in `parts`.
      func product(_ parts: [Range<Int>]) -> [Float] {
        var c = [Float](repeating: .nan, count: rows * width)
        a.withUnsafeBufferPointer { ap in
          columnBias.withUnsafeBufferPointer { cb in
            rowBias.withUnsafeBufferPointer { rb in
              c.withUnsafeMutableBufferPointer { cp in
                let bias: GEMMEpilogue.Bias =
                  perRow ? .perRow(rb.baseAddress!) : .perColumn(cb.baseAddress!)
                for part in parts {
                  GEMM.multiply(
                    rows: rows, depth: depth, a: ap.baseAddress!, lda: depth, b: packed.panels,
                    columns: part, c: cp.baseAddress!, ldc: width,
                    epilogue: GEMMEpilogue(bias: bias, relu: true))
                }
              }
            }
          }
        }
        return c
      }
      let whole = product([0..<width])
      let panels = product(stride(from: 0, to: width, by: 16).map { $0..<($0 + 16) })
      #expect(whole.map(\.bitPattern) == panels.map(\.bitPattern), "\(width) columns")
      #expect(whole.contains { $0 > 0 } && whole.contains { $0 == 0 })
    }
  }

  /// A range from an odd panel: pairs start at panel 1 (columns 16, 48, ...), cross into the
  /// second 128-column block, and end with a whole and a partial panel for the 6x16 tile;
  /// with a per-row bias, two K blocks, and a 1-row (the one-row tile) or a 2-row (the two-row
  /// tile) tail. Only the range is written.
  @Test(arguments: [4, 5])
  func columnRangeFromAnOddPanelMatchesTripleLoop(rows: Int) {
    let (depth, columns) = (513, 200)
    let range = 16..<197
    let a = (0..<(rows * depth)).map { Float(($0 * 7) % 11) - 5 }
    let b = (0..<(depth * columns)).map { Float(($0 * 5) % 13) - 6 }
    let rowBias = (0..<rows).map { Float($0) - 2.5 }
    var w = [Float](repeating: 0, count: depth * columns)
    for k in 0..<depth { for n in 0..<columns { w[n * depth + k] = b[k * columns + n] } }
    let packed = GEMMPackedWeights(transposing: w, depth: depth, columns: columns)
    var c = [Float](repeating: .nan, count: rows * columns)
    a.withUnsafeBufferPointer { ap in
      rowBias.withUnsafeBufferPointer { rb in
        c.withUnsafeMutableBufferPointer { cp in
          GEMM.multiply(
            rows: rows, depth: depth, a: ap.baseAddress!, lda: depth, b: packed.panels,
            columns: range, c: cp.baseAddress!, ldc: columns,
            epilogue: GEMMEpilogue(bias: .perRow(rb.baseAddress!), relu: true))
        }
      }
    }
    let want = Self.expected(
      a: a, lda: depth, b: b, rows: rows, depth: depth, columns: columns,
      bias: { i, _ in Double(rowBias[i]) }, relu: true)
    var wrong = 0
    var stray = 0
    for i in 0..<rows {
      for j in 0..<columns {
        let got = c[i * columns + j]
        if range.contains(j) {
          if Double(got) != want[i * columns + j] { wrong += 1 }  // small integers: exact
        } else if !got.isNaN {
          stray += 1
        }
      }
    }
    #expect(wrong == 0 && stray == 0, "\(wrong) wrong, \(stray) written outside the range")
  }

  /// B as a row-major matrix (the NCHW im2col block: rows padded to whole panels, padding
  /// holding anything) gives, bit for bit, what the same B packed gives: the 3x32 tile reads
  /// its second panel 16 floats along the row, the one-row tile (the 7th of 7 rows) its four
  /// panels of 64 columns and then two of 32, the two-row tile (the last 2 of 8) its pairs,
  /// the 6x16 tile the partial last panel.
  @Test(arguments: [7, 8])
  func rowMajorOperandMatchesPackedBitwise(rows: Int) {
    let (depth, columns, ldb) = (40, 109, 112)
    var random = SplitMix64(seed: 5)
    let a = (0..<(rows * depth)).map { _ in random.nextSignedUnitFloat() }
    var rowMajor = [Float](repeating: .nan, count: depth * ldb)
    var w = [Float](repeating: 0, count: depth * columns)
    for k in 0..<depth {
      for n in 0..<columns {
        let value = random.nextSignedUnitFloat()
        rowMajor[k * ldb + n] = value
        w[n * depth + k] = value
      }
    }
    let bias = (0..<rows).map { Float($0) * 0.25 - 1 }
    let packed = GEMMPackedWeights(transposing: w, depth: depth, columns: columns)
    var fromPacked = [Float](repeating: .nan, count: rows * columns)
    var fromRowMajor = fromPacked
    a.withUnsafeBufferPointer { ap in
      bias.withUnsafeBufferPointer { bp in
        let epilogue = GEMMEpilogue(bias: .perRow(bp.baseAddress!), relu: false)
        fromPacked.withUnsafeMutableBufferPointer {
          GEMM.multiply(
            rows: rows, depth: depth, a: ap.baseAddress!, lda: depth, b: packed.panels,
            columns: 0..<columns, c: $0.baseAddress!, ldc: columns, epilogue: epilogue)
        }
        rowMajor.withUnsafeBufferPointer { bm in
          fromRowMajor.withUnsafeMutableBufferPointer {
            GEMM.multiply(
              rows: rows, depth: depth, a: ap.baseAddress!, lda: depth,
              b: GEMMPanels(rowMajor: bm.baseAddress!, ldb: ldb, depth: depth, columns: columns),
              columns: 0..<columns, c: $0.baseAddress!, ldc: columns, epilogue: epilogue)
          }
        }
      }
    }
    #expect(!fromPacked.contains { $0.isNaN })
    #expect(fromPacked.map(\.bitPattern) == fromRowMajor.map(\.bitPattern))
  }

  /// A column block starting at panel 1 writes only its own columns.
  @Test func columnBlockWritesOnlyItsColumns() {
    let rows = 4
    let depth = 3
    let columns = 40
    let w = (0..<(depth * columns)).map { Float($0 % 7) }
    let packed = GEMMPackedWeights(transposing: w, depth: depth, columns: columns)
    let a: [Float] = (0..<(rows * depth)).map { Float($0 % 3) + 1 }
    var c = [Float](repeating: .nan, count: rows * columns)
    a.withUnsafeBufferPointer { ap in
      c.withUnsafeMutableBufferPointer { cp in
        GEMM.multiply(
          rows: rows, depth: depth, a: ap.baseAddress!, lda: depth, b: packed.panels,
          columns: 16..<35, c: cp.baseAddress!, ldc: columns, epilogue: .none)
      }
    }
    for i in 0..<rows {
      for j in 0..<columns {
        let got = c[i * columns + j]
        if (16..<35).contains(j) {
          var want: Float = 0
          for k in 0..<depth { want += a[i * depth + k] * w[j * depth + k] }
          #expect(got == want, "row \(i) column \(j)")
        } else {
          #expect(got.isNaN, "row \(i) column \(j) written outside the block")
        }
      }
    }
  }

  /// The row-block call a fused NHWC dw+pw block makes: bias per output channel, then ReLU.
  @Test func packedWeightsMultiplyAddsBiasThenReLU() {
    // W (2 output channels x 3 inputs), A (2 pixels x 3 channels, lda 4), bias [1, -10].
    let packed = GEMMPackedWeights(
      transposing: [1, 2, 3, -1, 0, 1], depth: 3, columns: 2, bias: [1, -10])
    let a: [Float] = [1, 1, 1, 99, 2, 0, -1, 99]
    var c = [Float](repeating: .nan, count: 2 * 3)
    a.withUnsafeBufferPointer { ap in
      c.withUnsafeMutableBufferPointer {
        packed.multiply(rows: 2, a: ap.baseAddress!, lda: 4, c: $0.baseAddress!, ldc: 3, relu: true)
      }
    }
    // Pixel 0: [1+6, -10+0] -> [7, 0]; pixel 1: [1+2-3, -10-2-1] -> [0, 0]; column 2 untouched.
    #expect(c[0] == 7 && c[1] == 0 && c[3] == 0 && c[4] == 0)
    #expect(c[2].isNaN && c[5].isNaN)
  }
}
