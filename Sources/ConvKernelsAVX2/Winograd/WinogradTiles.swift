import ConvKernels

/// The SIMD half of one Winograd tile size: the 1D input and output transforms on 8 channels
/// at a time (one `SIMD8<Float>` per point), which `WinogradConvKernel` applies first along
/// the columns of a tile and then along its rows.
///
/// Each function reads its vectors at `src + k * stride` and writes at `dst + k * dstStride`
/// (strides in floats), so the same code reads an NHWC image in place (stride = a row of
/// pixels), a gathered patch, or the transformed domain. The arithmetic is the matrix of
/// `transform` with common subexpressions shared; `WinogradTilesTests` checks each function
/// against its matrix.
package protocol WinogradTile {
  /// The matrices this code implements.
  static var transform: WinogradTransform { get }
  /// `dst[k] = Σ_j Bᵀ[k][j] src[j]` for k < α.
  static func input(
    _ src: UnsafePointer<Float>, _ stride: Int, _ dst: UnsafeMutablePointer<Float>,
    _ dstStride: Int)
  /// `dst[k] = Σ_j Aᵀ[k][j] src[j]` for k < m.
  static func output(
    _ src: UnsafePointer<Float>, _ stride: Int, _ dst: UnsafeMutablePointer<Float>,
    _ dstStride: Int)
}

/// F(2x2, 3x3): α = 4, m = 2.
package enum WinogradF2x2: WinogradTile {
  package static var transform: WinogradTransform { .f2x2 }

  @inline(__always)
  package static func input(
    _ src: UnsafePointer<Float>, _ stride: Int, _ dst: UnsafeMutablePointer<Float>,
    _ dstStride: Int
  ) {
    let d0 = SIMD8<Float>.load(src)
    let d1 = SIMD8<Float>.load(src + stride)
    let d2 = SIMD8<Float>.load(src + 2 * stride)
    let d3 = SIMD8<Float>.load(src + 3 * stride)
    (d0 - d2).store(to: dst)
    (d1 + d2).store(to: dst + dstStride)
    (d2 - d1).store(to: dst + 2 * dstStride)
    (d1 - d3).store(to: dst + 3 * dstStride)
  }

  @inline(__always)
  package static func output(
    _ src: UnsafePointer<Float>, _ stride: Int, _ dst: UnsafeMutablePointer<Float>,
    _ dstStride: Int
  ) {
    let m0 = SIMD8<Float>.load(src)
    let m1 = SIMD8<Float>.load(src + stride)
    let m2 = SIMD8<Float>.load(src + 2 * stride)
    let m3 = SIMD8<Float>.load(src + 3 * stride)
    (m0 + m1 + m2).store(to: dst)
    (m1 - m2 - m3).store(to: dst + dstStride)
  }
}

/// F(4x4, 3x3): α = 6, m = 4.
package enum WinogradF4x4: WinogradTile {
  package static var transform: WinogradTransform { .f4x4 }

  @inline(__always)
  package static func input(
    _ src: UnsafePointer<Float>, _ stride: Int, _ dst: UnsafeMutablePointer<Float>,
    _ dstStride: Int
  ) {
    let d0 = SIMD8<Float>.load(src)
    let d1 = SIMD8<Float>.load(src + stride)
    let d2 = SIMD8<Float>.load(src + 2 * stride)
    let d3 = SIMD8<Float>.load(src + 3 * stride)
    let d4 = SIMD8<Float>.load(src + 4 * stride)
    let d5 = SIMD8<Float>.load(src + 5 * stride)
    let four = SIMD8<Float>(repeating: 4)
    let five = SIMD8<Float>(repeating: 5)
    let two = SIMD8<Float>(repeating: 2)
    let d4MinusD2 = d4 - d2
    let d3Minus1 = d3 - d1
    (four * d0 - five * d2 + d4).store(to: dst)
    ((d3 + d4) - four * (d1 + d2)).store(to: dst + dstStride)
    (four * (d1 - d2) + (d4 - d3)).store(to: dst + 2 * dstStride)
    (two * d3Minus1 + d4MinusD2).store(to: dst + 3 * dstStride)
    (d4MinusD2 - two * d3Minus1).store(to: dst + 4 * dstStride)
    (four * d1 - five * d3 + d5).store(to: dst + 5 * dstStride)
  }

  @inline(__always)
  package static func output(
    _ src: UnsafePointer<Float>, _ stride: Int, _ dst: UnsafeMutablePointer<Float>,
    _ dstStride: Int
  ) {
    let m0 = SIMD8<Float>.load(src)
    let m1 = SIMD8<Float>.load(src + stride)
    let m2 = SIMD8<Float>.load(src + 2 * stride)
    let m3 = SIMD8<Float>.load(src + 3 * stride)
    let m4 = SIMD8<Float>.load(src + 4 * stride)
    let m5 = SIMD8<Float>.load(src + 5 * stride)
    let sum12 = m1 + m2
    let diff12 = m1 - m2
    let sum34 = m3 + m4
    let diff34 = m3 - m4
    (m0 + sum12 + sum34).store(to: dst)
    (diff12 + SIMD8(repeating: 2) * diff34).store(to: dst + dstStride)
    (sum12 + SIMD8(repeating: 4) * sum34).store(to: dst + 2 * dstStride)
    (diff12 + SIMD8(repeating: 8) * diff34 + m5).store(to: dst + 3 * dstStride)
  }
}
