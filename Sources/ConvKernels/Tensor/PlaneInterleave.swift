/// Copies a run of pixels from planar channels (NCHW) to interleaved ones (NHWC): the input
/// image's reorder into an NHWC network, or one row of it gathered by a stem that reads the
/// planes itself.
package enum PlaneInterleave {
  /// `dst[p * channels + c] = src[c * planeStride + p]` for `p` in `0..<pixels`, `c` in
  /// `0..<channels`. One pass over `dst`, one read stream per channel; three channels (an RGB
  /// image) run unrolled. Measured when the unrolled path went in, on 224 x 224 on the
  /// Sapphire Rapids-class Xeon of the results: the general loop (a build before 2e64d32) took
  /// 130 µs on its 3-trip inner loop, the unrolled one 27 µs (the reorder row's
  /// `alone_time_ns` of `sepbench network mobilenet-v1 --threads 1 --twin none`).
  package static func copy(
    _ src: UnsafePointer<Float>, planeStride: Int, channels: Int, pixels: Int,
    into dst: UnsafeMutablePointer<Float>
  ) {
    if channels == 3 {
      let (red, green, blue) = (src, src + planeStride, src + 2 * planeStride)
      var out = dst
      for pixel in 0..<pixels {
        out[0] = red[pixel]
        out[1] = green[pixel]
        out[2] = blue[pixel]
        out += 3
      }
      return
    }
    for pixel in 0..<pixels {
      let out = dst + pixel * channels
      for c in 0..<channels { out[c] = src[c * planeStride + pixel] }
    }
  }
}
