import ConvKernels

/// im2col: the input patches of a KxK convolution laid out as a GEMM operand. Timed (it is part
/// of the im2col+GEMM algorithm); every buffer is allocated in `prepare`.
package enum Im2col {
  /// NHWC rows: for output pixels `pixels` (flat over n, oh, ow), row `q - pixels.lowerBound`
  /// of `dst` (row stride `KH*KW*C_in`) holds the patch in `(kh, kw, ic)` order, zeros where
  /// the window covers padding. This is A of `GEMM.multiply` with B[(kh, kw, ic)][oc].
  package static func rowsNHWC(
    _ p: ConvProblem, _ src: UnsafePointer<Float>, pixels: Range<Int>,
    into dst: UnsafeMutablePointer<Float>
  ) {
    let cin = p.inChannels
    let k = p.kernelH * p.kernelW * cin
    let outPlane = p.outHeight * p.outWidth
    var row = dst
    for q in pixels {
      let n = q / outPlane
      let oh = (q - n * outPlane) / p.outWidth
      let ow = q - n * outPlane - oh * p.outWidth
      var out = row
      for kh in 0..<p.kernelH {
        let ih = oh * p.stride - p.pad + kh
        for kw in 0..<p.kernelW {
          let iw = ow * p.stride - p.pad + kw
          if ih >= 0 && ih < p.height && iw >= 0 && iw < p.width {
            copy(src + ((n * p.height + ih) * p.width + iw) * cin, to: out, count: cin)
          } else {
            out.update(repeating: 0, count: cin)
          }
          out += cin
        }
      }
      row += k
    }
  }

  /// Planar rows: for output pixels `pixels` (flat over n, oh, ow) of an NCHW input, row
  /// `q - pixels.lowerBound` of `dst` (row stride `C_in*KH*KW`) holds the patch in `(ic, kh,
  /// kw)` order (OIHW weight order), zeros where the window covers padding: A of
  /// `GEMM.multiply` with B[(ic, kh, kw)][oc], so C comes out NHWC. Each kernel row of the
  /// patch is KW floats side by side in one plane.
  package static func rowsPlanar(
    _ p: ConvProblem, _ src: UnsafePointer<Float>, pixels: Range<Int>,
    into dst: UnsafeMutablePointer<Float>
  ) {
    guard !pixels.isEmpty else { return }
    let (kh, kw) = (p.kernelH, p.kernelW)
    let plane = p.height * p.width
    var pixel = OutputPixelCursor(pixels.lowerBound, of: p)
    var row = dst
    for _ in pixels {
      let image = src + pixel.n * p.inChannels * plane
      let (ih0, iw0) = pixel.fieldOrigin(p)
      if pixel.fieldIsInside(p) {
        var k = 0
        for c in 0..<p.inChannels {
          var run = image + c * plane + ih0 * p.width + iw0
          if kw == 3 {
            // 3x3 kernels, unrolled. As a loop of unknown length the stem took about 1.2x as
            // long: its time over reorder + NHWC stem (the `Input image:` line of `sepbench
            // network mobilenet-v1 --width 0.5 --threads 1 --twin none`) went from 0.65-0.75
            // to 0.81-0.92 in three alternated runs on a Zen 3.
            for _ in 0..<kh {
              row[k] = run[0]
              row[k + 1] = run[1]
              row[k + 2] = run[2]
              k += 3
              run += p.width
            }
          } else {
            for _ in 0..<kh {
              for x in 0..<kw { row[k + x] = run[x] }
              k += kw
              run += p.width
            }
          }
        }
      } else {
        var k = 0
        for c in 0..<p.inChannels {
          for y in 0..<kh {
            let ih = ih0 + y
            for x in 0..<kw {
              let iw = iw0 + x
              row[k] =
                ih >= 0 && ih < p.height && iw >= 0 && iw < p.width
                ? image[c * plane + ih * p.width + iw] : 0
              k += 1
            }
          }
        }
      }
      row += kh * kw * p.inChannels
      pixel.advance(in: p)
    }
  }

  /// Copies `count` floats with explicit vectors: unlike `update(from:count:)` (memmove), the
  /// path taken, and so the instructions executed, do not depend on where `dst` lies
  /// relative to `src`.
  @inline(__always)
  static func copy(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
    var c = 0
    while c + 8 <= count {
      SIMD8<Float>.load(src + c).store(to: dst + c)
      c += 8
    }
    while c < count {
      dst[c] = src[c]
      c += 1
    }
  }

  /// NCHW rows: the patches of output pixels `pixels` of one image (`image` points at its
  /// C_in x H x W input) as a row-major `[C_in*KH*KW][ldb]` matrix in `(ic, kh, kw)` order
  /// (OIHW weight order): row k, column `q - pixels.lowerBound`. Columns `pixels.count ..<
  /// ldb` are not written. This is B of `GEMM.multiply` (`GEMMPanels(rowMajor:)`) with A =
  /// the OIHW weights `[C_out][C_in*KH*KW]`. Each row is filled in runs of one output row, a
  /// contiguous copy for stride 1.
  package static func rowsNCHW(
    _ p: ConvProblem, image: UnsafePointer<Float>, pixels: Range<Int>,
    into dst: UnsafeMutablePointer<Float>, ldb: Int
  ) {
    let count = pixels.count
    let wo = p.outWidth
    let s = p.stride
    var out = dst
    for ic in 0..<p.inChannels {
      let plane = image + ic * p.height * p.width
      for kh in 0..<p.kernelH {
        for kw in 0..<p.kernelW {
          var q = 0
          var oh = pixels.lowerBound / wo
          var ow = pixels.lowerBound - oh * wo
          while q < count {
            let run = min(count - q, wo - ow)
            let d = out + q
            let ih = oh * s - p.pad + kh
            let iw = ow * s - p.pad + kw
            // Lanes u in lo..<hi read inside the input row; the others are padding.
            var lo = 0
            var hi = 0
            if ih >= 0 && ih < p.height && iw < p.width {
              // Divide only at the image edges: with a division per run, perf put im2col at
              // 18 % of NCHW conv 3x3 128->128 56x56; without, 15 %.
              lo = iw >= 0 ? 0 : min(run, s == 1 ? -iw : (-iw + s - 1) / s)
              let last = iw + (run - 1) * s
              hi =
                last < p.width ? run : max(lo, s == 1 ? p.width - iw : (p.width - iw + s - 1) / s)
            }
            for u in 0..<lo { d[u] = 0 }
            if hi > lo {
              let row = plane + ih * p.width + iw
              if s == 1 {
                var u = lo
                while u + 8 <= hi {
                  SIMD8<Float>.load(row + u).store(to: d + u)
                  u += 8
                }
                while u < hi {
                  d[u] = row[u]
                  u += 1
                }
              } else {
                for u in lo..<hi { d[u] = row[u * s] }
              }
            }
            for u in hi..<run { d[u] = 0 }
            q += run
            ow = 0
            oh += 1
          }
          out += ldb
        }
      }
    }
  }

  /// OIHW weights reordered to `[C_out][KH][KW][C_in]`, the row order of `rowsNHWC` patches.
  static func weightsOHWI(_ p: ConvProblem, _ oihw: [Float]) -> [Float] {
    let cin = p.inChannels
    let taps = p.kernelH * p.kernelW
    var result = [Float](repeating: 0, count: oihw.count)
    for oc in 0..<p.outChannels {
      for ic in 0..<cin {
        for t in 0..<taps {
          result[(oc * taps + t) * cin + ic] = oihw[(oc * cin + ic) * taps + t]
        }
      }
    }
    return result
  }
}
