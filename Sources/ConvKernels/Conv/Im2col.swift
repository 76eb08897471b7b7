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
            out.update(from: src + ((n * p.height + ih) * p.width + iw) * cin, count: cin)
          } else {
            out.update(repeating: 0, count: cin)
          }
          out += cin
        }
      }
      row += k
    }
  }

  /// NCHW, already packed: the patches of output pixels `pixels` (of one image, `image`
  /// pointing at its C_in x H x W input) as `GEMMPanels` of depth `C_in*KH*KW` in `(ic, kh, kw)`
  /// order (OIHW weight order), column 0 = `pixels.lowerBound`; padding lanes of the last panel
  /// are zero. This is B of `GEMM.multiply` with A = the OIHW weights `[C_out][C_in*KH*KW]`.
  package static func panelsNCHW(
    _ p: ConvProblem, image: UnsafePointer<Float>, pixels: Range<Int>,
    into dst: UnsafeMutablePointer<Float>
  ) {
    let nr = GEMM.nr
    let depth = p.inChannels * p.kernelH * p.kernelW
    let panelStride = depth * nr
    let count = pixels.count
    let padded = (count + nr - 1) / nr * nr
    let wo = p.outWidth
    let s = p.stride
    var k = 0
    for ic in 0..<p.inChannels {
      let plane = image + ic * p.height * p.width
      for kh in 0..<p.kernelH {
        for kw in 0..<p.kernelW {
          let column = dst + k * nr
          var q = 0
          var oh = pixels.lowerBound / wo
          var ow = pixels.lowerBound - oh * wo
          while q < count {
            let run = min(count - q, wo - ow)
            let ih = oh * s - p.pad + kh
            if ih < 0 || ih >= p.height {
              for t in q..<(q + run) { column[(t / nr) * panelStride + t % nr] = 0 }
            } else {
              let row = plane + ih * p.width
              var iw = ow * s - p.pad + kw
              for t in q..<(q + run) {
                column[(t / nr) * panelStride + t % nr] = (iw >= 0 && iw < p.width) ? row[iw] : 0
                iw += s
              }
            }
            q += run
            ow = 0
            oh += 1
          }
          for t in count..<padded { column[(t / nr) * panelStride + t % nr] = 0 }
          k += 1
        }
      }
    }
  }

  /// OIHW weights reordered to `[C_out][KH][KW][C_in]`, the row order of `rowsNHWC` patches.
  package static func weightsOHWI(_ p: ConvProblem, _ oihw: [Float]) -> [Float] {
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
