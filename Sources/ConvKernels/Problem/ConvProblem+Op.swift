/// How one block shape maps onto each operator.
///
/// A benchmark case is described by the *standard* problem (groups = 1) of a block: C_in,
/// C_out, kernel, stride, padding. Each operator takes its own part of it:
/// `conv`, `conv_block` and `sep_block` take the problem itself; `dw` takes the depthwise
/// part (C_in channels, same kernel, stride and padding); `pw` takes the pointwise part
/// (C_in -> C_out on the depthwise output's spatial size).
extension ConvProblem {
  /// The depthwise part of a separable block: C_in channels, same kernel, stride, padding.
  public var depthwisePart: ConvProblem {
    part(
      batch: batch, inChannels: inChannels, height: height, width: width,
      outChannels: inChannels, kernelH: kernelH, kernelW: kernelW, stride: stride, pad: pad,
      groups: inChannels)
  }

  /// The pointwise part of a separable block: C_in -> C_out on the depthwise output.
  public var pointwisePart: ConvProblem {
    part(
      batch: batch, inChannels: inChannels, height: outHeight, width: outWidth,
      outChannels: outChannels, kernelH: 1, kernelW: 1, stride: 1, pad: 0, groups: 1)
  }

  /// The problem that `op` runs for this block shape (see the type's discussion).
  public func part(for op: Op) -> ConvProblem {
    switch op {
    case .conv, .convBlock, .sepBlock: self.standardTwin
    case .dw: depthwisePart
    case .pw: pointwisePart
    }
  }

  /// The same shape with groups = 1 (the block shape behind a depthwise problem).
  var standardTwin: ConvProblem {
    groups == 1
      ? self
      : part(
        batch: batch, inChannels: inChannels, height: height, width: width,
        outChannels: outChannels, kernelH: kernelH, kernelW: kernelW, stride: stride, pad: pad,
        groups: 1)
  }

  /// A part of this problem. `init(batch:...)` already checked the part's limits with its
  /// own (output size within `maxExtent`, counts with max(C_in, C_out) channels on both
  /// sides), so a part of a valid problem is valid and the input can never reach a trap here;
  /// debug builds re-check.
  private func part(
    batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int, kernelH: Int,
    kernelW: Int, stride: Int, pad: Int, groups: Int
  ) -> ConvProblem {
    let part = ConvProblem(
      unchecked: batch, inChannels: inChannels, height: height, width: width,
      outChannels: outChannels, kernelH: kernelH, kernelW: kernelW, stride: stride, pad: pad,
      groups: groups)
    assert(
      (try? ConvProblem(
        batch: batch, inChannels: inChannels, height: height, width: width,
        outChannels: outChannels, kernelH: kernelH, kernelW: kernelW, stride: stride, pad: pad,
        groups: groups)) == part, "part \(part.descriptor) of \(descriptor) is invalid")
    return part
  }

  /// Checks that this problem is one `op` can run directly.
  /// - Throws: `ProblemError.wrongShapeForOp` with the reason.
  public func validate(for op: Op) throws {
    switch op {
    case .dw:
      guard isDepthwise else {
        throw ProblemError.wrongShapeForOp(
          op: op,
          reason:
            "needs groups = c_in = c_out, got groups \(groups), c_in \(inChannels), c_out \(outChannels)"
        )
      }
    case .pw:
      guard isPointwise else {
        throw ProblemError.wrongShapeForOp(
          op: op, reason: "needs a 1x1 kernel, stride 1, pad 0, groups 1; got \(descriptor)")
      }
    case .conv, .convBlock, .sepBlock:
      guard groups == 1 else {
        throw ProblemError.wrongShapeForOp(op: op, reason: "needs groups = 1, got \(groups)")
      }
    }
  }

  /// Shape of the operator's input tensor: N, C_in, H, W.
  public func inputShape(for op: Op) -> TensorShape {
    TensorShape(n: batch, c: inChannels, h: height, w: width)
  }

  /// Shape of the operator's output tensor: N, C_out, H_out, W_out.
  public func outputShape(for op: Op) -> TensorShape {
    TensorShape(n: batch, c: outChannels, h: outHeight, w: outWidth)
  }
}
