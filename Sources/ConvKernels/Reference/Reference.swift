/// The definition of "correct": plain loops, NCHW, Double accumulation.
///
/// Inputs and outputs are NCHW arrays; weights are OIHW as in `OpParameters`. Every kernel
/// variant is compared with `Reference.run(op:problem:parameters:input:)`.
public enum Reference {
  /// The output of `op` on the block shape `problem` for an NCHW `input`, in NCHW, as Doubles.
  public static func run(op: Op, problem: ConvProblem, parameters: OpParameters, input: [Float])
    -> [Double]
  {
    let p = problem.part(for: op)
    let x = input.map(Double.init)
    switch op {
    case .conv, .dw, .pw:
      return convolution(p, x, parameters.weights)
    case .convBlock:
      return relu(
        batchNorm(convolution(p, x, parameters.weights), parameters.norm!, p.outputShape(for: op)))
    case .sepBlock:
      let dw = p.depthwisePart
      let pw = p.pointwisePart
      let mid = relu(
        batchNorm(
          convolution(dw, x, parameters.weights), parameters.norm!, dw.outputShape(for: .dw)))
      let out = convolution(pw, mid, parameters.pointwiseWeights!)
      return relu(batchNorm(out, parameters.pointwiseNorm!, pw.outputShape(for: .pw)))
    }
  }

  /// A grouped convolution of an NCHW input with OIHW weights.
  public static func convolution(_ p: ConvProblem, _ src: [Double], _ wei: [Float]) -> [Double] {
    precondition(src.count == p.inputCount && wei.count == p.weightCount)
    var dst = [Double](repeating: 0, count: p.outputCount)
    let icg = p.inChannelsPerGroup
    let ocg = p.outChannelsPerGroup
    let plane = p.height * p.width
    let outPlane = p.outHeight * p.outWidth
    src.withUnsafeBufferPointer { src in
      wei.withUnsafeBufferPointer { wei in
        dst.withUnsafeMutableBufferPointer { dst in
          for n in 0..<p.batch {
            for oc in 0..<p.outChannels {
              let g = oc / ocg
              let out = n * p.outChannels * outPlane + oc * outPlane
              // Accumulate tap by tap over whole output rows: the same sum as the textbook
              // seven loops, in a different order, all in Double.
              for icInGroup in 0..<icg {
                let input = (n * p.inChannels + g * icg + icInGroup) * plane
                for kh in 0..<p.kernelH {
                  for kw in 0..<p.kernelW {
                    let w = Double(wei[((oc * icg + icInGroup) * p.kernelH + kh) * p.kernelW + kw])
                    for oh in 0..<p.outHeight {
                      let ih = oh * p.stride - p.pad + kh
                      guard ih >= 0 && ih < p.height else { continue }
                      let row = input + ih * p.width
                      let outRow = out + oh * p.outWidth
                      for ow in 0..<p.outWidth {
                        let iw = ow * p.stride - p.pad + kw
                        guard iw >= 0 && iw < p.width else { continue }
                        dst[outRow + ow] += src[row + iw] * w
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return dst
  }

  /// Inference batch norm over the channels of an NCHW tensor.
  public static func batchNorm(_ x: [Double], _ bn: BatchNorm, _ shape: TensorShape) -> [Double] {
    precondition(bn.channels == shape.c)
    var y = x
    let plane = shape.h * shape.w
    for n in 0..<shape.n {
      for c in 0..<shape.c {
        let scale = Double(bn.gamma[c]) / (Double(bn.variance[c]) + Double(bn.epsilon)).squareRoot()
        let base = (n * shape.c + c) * plane
        for i in base..<(base + plane) {
          y[i] = (x[i] - Double(bn.mean[c])) * scale + Double(bn.beta[c])
        }
      }
    }
    return y
  }

  /// `max(0, x)` elementwise.
  public static func relu(_ x: [Double]) -> [Double] { x.map { max(0, $0) } }

  /// Number of products summed into one output of `op`, for error tolerances: KH*KW*C_in/g
  /// for a convolution, both stages for a separable block.
  public static func accumulationLength(op: Op, problem: ConvProblem) -> Int {
    let p = problem.part(for: op)
    switch op {
    case .sepBlock: return p.depthwisePart.kernelH * p.depthwisePart.kernelW + p.inChannels
    default: return p.inChannelsPerGroup * p.kernelH * p.kernelW
    }
  }
}
