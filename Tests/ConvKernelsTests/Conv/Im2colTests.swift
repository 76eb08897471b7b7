import ConvKernels
import ConvKernelsAVX2
import Testing

@Suite struct Im2colTests {
  /// 1 image, 2 channels, 3x3, 3x3 kernel, pad 1: channel c of pixel (h, w) holds
  /// 10 * (3h + w + 1) + c, so every patch value names its source.
  static let problem = try! ConvProblem.standard(
    inChannels: 2, outChannels: 1, h: 3, w: 3, kernel: 3, pad: 1)
  static func value(_ c: Int, _ h: Int, _ w: Int) -> Float { Float(10 * (3 * h + w + 1) + c) }

  @Test func nhwcRowsHoldPatchesInKhKwIcOrderWithZeroPadding() {
    let p = Self.problem
    var src = [Float](repeating: 0, count: 18)
    for h in 0..<3 {
      for w in 0..<3 { for c in 0..<2 { src[(h * 3 + w) * 2 + c] = Self.value(c, h, w) } }
    }
    var dst = [Float](repeating: .nan, count: 2 * 18)
    src.withUnsafeBufferPointer { s in
      dst.withUnsafeMutableBufferPointer {
        Im2col.rowsNHWC(p, s.baseAddress!, pixels: 0..<2, into: $0.baseAddress!)
      }
    }
    // Output pixel (0, 0): taps (-1, -1...1) are padding, then (0,-1) pad, (0,0), (0,1), ...
    let pixel0: [Float] = [0, 0, 0, 0, 0, 0, 0, 0, 10, 11, 20, 21, 0, 0, 40, 41, 50, 51]
    let pixel1: [Float] = [0, 0, 0, 0, 0, 0, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 60, 61]
    #expect(Array(dst[0..<18]) == pixel0)
    #expect(Array(dst[18..<36]) == pixel1)
  }

  @Test func nchwRowsHoldPatchesInIcKhKwOrderAndLeaveThePaddingColumns() {
    let p = Self.problem
    var src = [Float](repeating: 0, count: 18)
    for c in 0..<2 {
      for h in 0..<3 { for w in 0..<3 { src[(c * 3 + h) * 3 + w] = Self.value(c, h, w) } }
    }
    let depth = 18
    let ldb = 16
    var dst = [Float](repeating: .nan, count: depth * ldb)
    src.withUnsafeBufferPointer { s in
      dst.withUnsafeMutableBufferPointer {
        Im2col.rowsNCHW(p, image: s.baseAddress!, pixels: 0..<9, into: $0.baseAddress!, ldb: ldb)
      }
    }
    // k = 4 is (ic 0, kh 1, kw 1): the centre tap, i.e. the pixel itself.
    #expect(Array(dst[(4 * ldb)..<(4 * ldb + 9)]) == (0..<9).map { Self.value(0, $0 / 3, $0 % 3) })
    // k = 9 is (ic 1, kh 0, kw 0): pixel (h, w) sees (h-1, w-1).
    let k9 = (0..<9).map { q -> Float in
      let h = q / 3 - 1
      let w = q % 3 - 1
      return h >= 0 && w >= 0 ? Self.value(1, h, w) : 0
    }
    #expect(Array(dst[(9 * ldb)..<(9 * ldb + 9)]) == k9)
    // Columns 9..<16 of every row are untouched; columns 0..<9 all written.
    for k in 0..<depth {
      let padding = dst[(k * ldb + 9)..<(k * ldb + 16)]
      #expect(padding.allSatisfy { $0.isNaN }, "row \(k)")
      #expect(!dst[(k * ldb)..<(k * ldb + 9)].contains { $0.isNaN }, "row \(k)")
    }
  }

  /// A pixel range that starts mid-row, with stride 2: columns start at `pixels.lowerBound`.
  @Test func nchwRowsStartAtThePixelRangeWithStrideTwo() throws {
    let p = try ConvProblem.standard(
      inChannels: 1, outChannels: 1, h: 5, w: 5, kernel: 3, stride: 2, pad: 1)
    let src = (0..<25).map { Float($0 + 1) }
    var dst = [Float](repeating: .nan, count: 9 * 16)
    src.withUnsafeBufferPointer { s in
      dst.withUnsafeMutableBufferPointer {
        Im2col.rowsNCHW(p, image: s.baseAddress!, pixels: 4..<9, into: $0.baseAddress!, ldb: 16)
      }
    }
    // Output is 3x3; pixels 4..<9 are (1,1) (1,2) (2,0) (2,1) (2,2); tap (kh 1, kw 1) = k 4
    // reads input (2oh, 2ow): values 13, 15, 21, 23, 25. Tap (0, 0) = k 0 reads (2oh-1, 2ow-1).
    #expect(Array(dst[(4 * 16)..<(4 * 16 + 5)]) == [13, 15, 21, 23, 25])
    #expect(Array(dst[0..<5]) == [7, 9, 0, 17, 19])
  }
}
