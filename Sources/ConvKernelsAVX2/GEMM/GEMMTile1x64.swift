import ConvKernels

/// The one-row tile of `GEMM.multiply`: C row 0, columns 0..<64 (four 16-column panels) or
/// 0..<32 (two), for a call whose rows leave 1 after the 3-row tiles.
///
/// Why: every MobileNetV1 pixel count is 1 more than a multiple of 3 (49, 196, 784, ...), and
/// the fused separable block calls the GEMM per tile of output rows, 7 or 28 pixels on 2
/// threads. A 3-row tile on the last row computes 3 rows for 1: 9 rows for 7, 30 for 28. This
/// tile computes only the row.
///
/// Registers (AVX2): 8 accumulators for 64 columns, one A broadcast and one B vector. A k step
/// is 8 `vfmadd231ps ymm` for 8 loads of B and 1 broadcast: bound by the B loads, not the
/// FMAs, which is still a third of the time of the two 3x32 steps it replaces. With 32 columns
/// (`pairs == 1`, the odd pair of a column block) the 4 accumulators leave each k step waiting
/// on the FMA latency: two thirds of the 3x32 step.
///
/// Every element sums the same products in the same order as in the 3x32 and 6x16 tiles, so
/// results are bitwise equal whichever tile computed them.
struct GEMMTile1x64 {
  var c0: SIMD8<Float>
  var c1: SIMD8<Float>
  var c2: SIMD8<Float>
  var c3: SIMD8<Float>
  var c4: SIMD8<Float>
  var c5: SIMD8<Float>
  var c6: SIMD8<Float>
  var c7: SIMD8<Float>

  /// The row set to `values` (8 vectors, 64 columns; the last 32 unused when `pairs == 1`).
  @inline(__always)
  init(
    _ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>,
    _ v4: SIMD8<Float>, _ v5: SIMD8<Float>, _ v6: SIMD8<Float>, _ v7: SIMD8<Float>
  ) {
    (c0, c1, c2, c3, c4, c5, c6, c7) = (v0, v1, v2, v3, v4, v5, v6, v7)
  }

  /// Loads `32 * pairs` columns (pairs 1 or 2) of the row at `c`.
  @inline(__always)
  init(loading c: UnsafePointer<Float>, pairs: Int) {
    c0 = .load(c)
    c1 = .load(c + 8)
    c2 = .load(c + 16)
    c3 = .load(c + 24)
    if pairs == 2 {
      c4 = .load(c + 32)
      c5 = .load(c + 40)
      c6 = .load(c + 48)
      c7 = .load(c + 56)
    } else {
      (c4, c5, c6, c7) = (.zero, .zero, .zero, .zero)
    }
  }

  /// `kc` steps of `C[j] += a[k] * B[k][j]` over `32 * pairs` columns: panel p at
  /// `b + p * panelStride`, each read as 16 floats every `bStride`.
  @inline(__always)
  mutating func accumulate(
    _ a: UnsafePointer<Float>, kc: Int, pairs: Int, _ b: UnsafePointer<Float>,
    panelStride: Int, bStride: Int
  ) {
    var acc0 = c0
    var acc1 = c1
    var acc2 = c2
    var acc3 = c3
    var bp = b
    if pairs == 2 {
      var acc4 = c4
      var acc5 = c5
      var acc6 = c6
      var acc7 = c7
      for k in 0..<kc {
        let va = SIMD8<Float>(repeating: a[k])
        Self.pairStep(&acc0, &acc1, &acc2, &acc3, va, bp, panelStride: panelStride)
        Self.pairStep(
          &acc4, &acc5, &acc6, &acc7, va, bp + 2 * panelStride, panelStride: panelStride)
        bp += bStride
      }
      (c4, c5, c6, c7) = (acc4, acc5, acc6, acc7)
    } else {
      for k in 0..<kc {
        let va = SIMD8<Float>(repeating: a[k])
        Self.pairStep(&acc0, &acc1, &acc2, &acc3, va, bp, panelStride: panelStride)
        bp += bStride
      }
    }
    (c0, c1, c2, c3) = (acc0, acc1, acc2, acc3)
  }

  /// One k step over a pair of panels: the 16 floats at `b` (columns 0..<16) and at
  /// `b + panelStride` (16..<32), each times `a`, added to `v0 ... v3`.
  @inline(__always)
  static func pairStep(
    _ v0: inout SIMD8<Float>, _ v1: inout SIMD8<Float>, _ v2: inout SIMD8<Float>,
    _ v3: inout SIMD8<Float>, _ a: SIMD8<Float>, _ b: UnsafePointer<Float>, panelStride: Int
  ) {
    v0.addProduct(a, .load(b))
    v1.addProduct(a, .load(b + 8))
    v2.addProduct(a, .load(b + panelStride))
    v3.addProduct(a, .load(b + panelStride + 8))
  }

  /// `max(0, C)` elementwise.
  @inline(__always)
  mutating func applyReLU() {
    c0 = c0.replacing(with: 0, where: c0 .< 0)
    c1 = c1.replacing(with: 0, where: c1 .< 0)
    c2 = c2.replacing(with: 0, where: c2 .< 0)
    c3 = c3.replacing(with: 0, where: c3 .< 0)
    c4 = c4.replacing(with: 0, where: c4 .< 0)
    c5 = c5.replacing(with: 0, where: c5 .< 0)
    c6 = c6.replacing(with: 0, where: c6 .< 0)
    c7 = c7.replacing(with: 0, where: c7 .< 0)
  }

  /// Stores `32 * pairs` columns of the row to `c`; writes nothing else.
  @inline(__always)
  func store(to c: UnsafeMutablePointer<Float>, pairs: Int) {
    c0.store(to: c)
    c1.store(to: c + 8)
    c2.store(to: c + 16)
    c3.store(to: c + 24)
    if pairs == 2 {
      c4.store(to: c + 32)
      c5.store(to: c + 40)
      c6.store(to: c + 48)
      c7.store(to: c + 56)
    }
  }
}
