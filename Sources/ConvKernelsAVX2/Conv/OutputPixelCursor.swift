import ConvKernels

/// An output pixel of a convolution as (image, row, column), stepped along the output in flat
/// pixel order, so that a loop over a range of pixels divides once, not per pixel.
struct OutputPixelCursor {
  var n: Int
  var oh: Int
  var ow: Int

  /// Flat output pixel `q` of `p` (over n, oh, ow).
  @inline(__always)
  init(_ q: Int, of p: ConvProblem) {
    let outPlane = p.outHeight * p.outWidth
    n = q / outPlane
    oh = (q - n * outPlane) / p.outWidth
    ow = q - n * outPlane - oh * p.outWidth
  }

  /// The top row and left column of this pixel's receptive field in the (unpadded) input;
  /// negative or past the image where the field covers padding.
  @inline(__always)
  func fieldOrigin(_ p: ConvProblem) -> (ih0: Int, iw0: Int) {
    (oh * p.stride - p.pad, ow * p.stride - p.pad)
  }

  /// Whether the receptive field lies wholly inside the input.
  @inline(__always)
  func fieldIsInside(_ p: ConvProblem) -> Bool {
    let (ih0, iw0) = fieldOrigin(p)
    return ih0 >= 0 && ih0 + p.kernelH <= p.height && iw0 >= 0 && iw0 + p.kernelW <= p.width
  }

  /// Steps to the next pixel.
  @inline(__always)
  mutating func advance(in p: ConvProblem) {
    ow += 1
    if ow == p.outWidth {
      ow = 0
      oh += 1
      if oh == p.outHeight {
        oh = 0
        n += 1
      }
    }
  }
}
