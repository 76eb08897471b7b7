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
    let icg = p.inChannelsPerGroup
    let ocg = p.outChannelsPerGroup
    for n in 0..<p.batch {
      for oc in 0..<p.outChannels {
        let icBase = (oc / ocg) * icg
        for oh in 0..<p.outHeight {
          for ow in 0..<p.outWidth {
            var acc: Float = 0
            for icInGroup in 0..<icg {
              for kh in 0..<p.kernelH {
                let ih = oh * p.stride - p.pad + kh
                if ih < 0 || ih >= p.height { continue }
                for kw in 0..<p.kernelW {
                  let iw = ow * p.stride - p.pad + kw
                  if iw < 0 || iw >= p.width { continue }
                  let s = src[inShape.index(n, icBase + icInGroup, ih, iw, in: layout)]
                  let w = wei[((oc * icg + icInGroup) * p.kernelH + kh) * p.kernelW + kw]
                  acc += s * w
                }
              }
            }
            dst[outShape.index(n, oc, oh, ow, in: layout)] = acc
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
    for n in 0..<shape.n {
      for c in 0..<shape.c {
        for h in 0..<shape.h {
          for w in 0..<shape.w {
            let i = shape.index(n, c, h, w, in: layout)
            x[i] = max(0, scale[c] * x[i] + shift[c])
          }
        }
      }
    }
  }
}

/// Weights and BN of one convolution stage, copied into aligned storage by `prepare`.
final class PreparedStage {
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
