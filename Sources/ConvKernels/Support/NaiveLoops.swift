/// Direct loops with Float accumulation, shared by every `naive` family. No tiling, no SIMD:
/// they show what the arithmetic costs when nothing is done about memory.
enum NaiveLoops {
  /// A grouped convolution. `src` and `dst` in `layout`; `wei` OIHW.
  static func convolution(
    _ p: ConvProblem, layout: Layout, _ src: UnsafePointer<Float>, _ wei: UnsafePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>
  ) {
    let inShape = p.inputShape(for: .conv)
    let outShape = p.outputShape(for: .conv)
    let si = inShape.strides(in: layout)
    let so = outShape.strides(in: layout)
    let icg = p.inChannelsPerGroup
    let ocg = p.outChannelsPerGroup
    let (kernelH, kernelW, stride, pad) = (p.kernelH, p.kernelW, p.stride, p.pad)
    for n in 0..<p.batch {
      for oc in 0..<p.outChannels {
        let icBase = (oc / ocg) * icg
        for oh in 0..<p.outHeight {
          for ow in 0..<p.outWidth {
            var acc: Float = 0
            for icInGroup in 0..<icg {
              let srcChannel = src + n * si.n + (icBase + icInGroup) * si.c
              let weiChannel = wei + (oc * icg + icInGroup) * kernelH * kernelW
              for kh in 0..<kernelH {
                let ih = oh * stride - pad + kh
                if ih < 0 || ih >= p.height { continue }
                for kw in 0..<kernelW {
                  let iw = ow * stride - pad + kw
                  if iw < 0 || iw >= p.width { continue }
                  acc += srcChannel[ih * si.h + iw * si.w] * weiChannel[kh * kernelW + kw]
                }
              }
            }
            dst[n * so.n + oc * so.c + oh * so.h + ow * so.w] = acc
          }
        }
      }
    }
  }

  /// In place: `x = max(0, scale[c] * x + shift[c])` for every element of channel c.
  static func scaleShiftReLU(
    _ shape: TensorShape, layout: Layout, _ x: UnsafeMutablePointer<Float>,
    scale: UnsafePointer<Float>, shift: UnsafePointer<Float>
  ) {
    let s = shape.strides(in: layout)
    for n in 0..<shape.n {
      for c in 0..<shape.c {
        for h in 0..<shape.h {
          for w in 0..<shape.w {
            let i = n * s.n + c * s.c + h * s.h + w * s.w
            x[i] = max(0, scale[c] * x[i] + shift[c])
          }
        }
      }
    }
  }
}

/// Weights and BN of one convolution stage, copied into aligned storage by `prepare`.
package final class PreparedStage {
  let problem: ConvProblem
  let weights: AlignedBuffer
  let scale: AlignedBuffer?
  let shift: AlignedBuffer?

  init(_ problem: ConvProblem, weights: [Float], norm: BatchNorm?) {
    self.problem = problem
    self.weights = AlignedBuffer(weights)
    if let norm {
      let (scale, shift) = norm.scaleAndShift
      self.scale = AlignedBuffer(scale)
      self.shift = AlignedBuffer(shift)
    } else {
      scale = nil
      shift = nil
    }
  }

  /// Convolution, then BN + ReLU when the stage has a norm, each as its own pass.
  func runNaive(layout: Layout, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    NaiveLoops.convolution(problem, layout: layout, src, weights.pointer, dst)
    if let scale, let shift {
      NaiveLoops.scaleShiftReLU(
        problem.outputShape(for: .conv), layout: layout, dst, scale: scale.pointer,
        shift: shift.pointer)
    }
  }
}
