/// One convolution: batch, channels, spatial size, kernel, stride, symmetric padding and groups.
///
/// Creating a problem validates it, so every `ConvProblem` value describes a computable
/// convolution; output sizes are derived. A depthwise problem has `groups == inChannels ==
/// outChannels`; a pointwise problem has a 1x1 kernel, stride 1 and no padding.
public struct ConvProblem: Hashable, Sendable, Codable {
  /// Batch size N (>= 1).
  public let batch: Int
  /// Input channels C_in (>= 1).
  public let inChannels: Int
  /// Input height H (>= 1).
  public let height: Int
  /// Input width W (>= 1).
  public let width: Int
  /// Output channels C_out (>= 1).
  public let outChannels: Int
  /// Kernel height KH (>= 1).
  public let kernelH: Int
  /// Kernel width KW (>= 1).
  public let kernelW: Int
  /// Stride, the same along H and W (>= 1).
  public let stride: Int
  /// Zero padding on every side (>= 0).
  public let pad: Int
  /// Groups: 1 for a standard convolution, C_in for depthwise.
  public let groups: Int

  /// Largest value of any single size field; keeps every product far from `Int` overflow.
  public static let maxExtent = 1 << 20

  /// Creates and validates a problem.
  /// - Throws: `ProblemError.invalidField` naming the first field that is out of range.
  public init(
    batch: Int = 1, inChannels: Int, height: Int, width: Int, outChannels: Int,
    kernelH: Int, kernelW: Int, stride: Int = 1, pad: Int = 0, groups: Int = 1
  ) throws {
    let limit = Self.maxExtent
    for (field, value) in [
      ("n", batch), ("c_in", inChannels), ("h", height), ("w", width), ("c_out", outChannels),
      ("kh", kernelH), ("kw", kernelW), ("stride", stride), ("groups", groups),
    ] where value < 1 || value > limit {
      throw ProblemError.invalidField(field: field, value: value, allowed: "between 1 and \(limit)")
    }
    guard pad >= 0 && pad <= limit else {
      throw ProblemError.invalidField(field: "pad", value: pad, allowed: "between 0 and \(limit)")
    }
    guard kernelH <= height + 2 * pad else {
      throw ProblemError.invalidField(
        field: "kh", value: kernelH,
        allowed: "at most the padded height h + 2*pad = \(height + 2 * pad)")
    }
    guard kernelW <= width + 2 * pad else {
      throw ProblemError.invalidField(
        field: "kw", value: kernelW,
        allowed: "at most the padded width w + 2*pad = \(width + 2 * pad)")
    }
    guard pad < kernelH && pad < kernelW else {
      throw ProblemError.invalidField(
        field: "pad", value: pad,
        allowed: "smaller than the kernel (\(kernelH)x\(kernelW)) so every output sees the input")
    }
    guard inChannels % groups == 0 else {
      throw ProblemError.invalidField(
        field: "groups", value: groups, allowed: "a divisor of c_in = \(inChannels)")
    }
    guard outChannels % groups == 0 else {
      throw ProblemError.invalidField(
        field: "groups", value: groups, allowed: "a divisor of c_out = \(outChannels)")
    }
    self.init(
      unchecked: batch, inChannels: inChannels, height: height, width: width,
      outChannels: outChannels, kernelH: kernelH, kernelW: kernelW, stride: stride, pad: pad,
      groups: groups)
    // The output is the pointwise part's input (`pointwisePart`), so it obeys the same limit.
    for (field, value, formula, size) in [
      ("h_out", outHeight, "(h + 2*pad - kh) / stride + 1", "height"),
      ("w_out", outWidth, "(w + 2*pad - kw) / stride + 1", "width"),
    ] where value > limit {
      throw ProblemError.invalidField(
        field: field, value: value,
        allowed: "at most \(limit), the largest pointwise input \(size); \(field) = \(formula)")
    }
    // Every count the cost model forms must fit in an Int, for this problem and for each part
    // (`depthwisePart`, `pointwisePart`, `standardTwin`): the FLOPs and bytes of a full
    // convolution with max(C_in, C_out) channels on both sides bound all of them (the depthwise
    // part's standard twin is C_in -> C_in); then the input's bytes and the weights' bytes.
    let channels = max(inChannels, outChannels)
    let products = [
      [batch, channels, outHeight, outWidth, channels, kernelH, kernelW, 8],
      [batch, inChannels, height, width, 8], [outChannels, inChannels, kernelH, kernelW, 8],
    ]
    guard products.allSatisfy(Self.productFits) else {
      throw ProblemError.countOverflow(descriptor: descriptor)
    }
  }

  /// A problem whose fields are known to pass `init(batch:...)`: a part of a valid problem.
  /// `init` checks every part's limits together with its own, so the parts need no `try`.
  init(
    unchecked batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int,
    kernelH: Int, kernelW: Int, stride: Int, pad: Int, groups: Int
  ) {
    self.batch = batch
    self.inChannels = inChannels
    self.height = height
    self.width = width
    self.outChannels = outChannels
    self.kernelH = kernelH
    self.kernelW = kernelW
    self.stride = stride
    self.pad = pad
    self.groups = groups
  }

  private static func productFits(_ factors: [Int]) -> Bool {
    var product = 1
    for factor in factors {
      let (next, overflow) = product.multipliedReportingOverflow(by: factor)
      if overflow { return false }
      product = next
    }
    return true
  }

  /// Output height: `(H + 2*pad - KH) / stride + 1`.
  public var outHeight: Int { (height + 2 * pad - kernelH) / stride + 1 }
  /// Output width: `(W + 2*pad - KW) / stride + 1`.
  public var outWidth: Int { (width + 2 * pad - kernelW) / stride + 1 }
  /// Input channels seen by one output channel (`C_in / groups`).
  public var inChannelsPerGroup: Int { inChannels / groups }
  /// Output channels produced by one group (`C_out / groups`).
  public var outChannelsPerGroup: Int { outChannels / groups }
  /// True when groups == C_in == C_out (channel multiplier 1).
  public var isDepthwise: Bool { groups == inChannels && outChannels == inChannels }
  /// True for a 1x1, stride-1, unpadded, ungrouped convolution.
  public var isPointwise: Bool {
    kernelH == 1 && kernelW == 1 && stride == 1 && pad == 0 && groups == 1
  }

  /// Number of input elements (N*C_in*H*W).
  public var inputCount: Int { batch * inChannels * height * width }
  /// Number of output elements (N*C_out*H_out*W_out).
  public var outputCount: Int { batch * outChannels * outHeight * outWidth }
  /// Number of weights (C_out * C_in/groups * KH * KW).
  public var weightCount: Int { outChannels * inChannelsPerGroup * kernelH * kernelW }

  /// The "same" padding for an odd kernel: `(K - 1) / 2`, keeping H_out = ceil(H / stride).
  public static func samePad(kernel: Int) -> Int { (kernel - 1) / 2 }
}

extension ConvProblem {
  /// A depthwise problem: C_in = C_out = groups = `channels`.
  public static func depthwise(
    batch: Int = 1, channels: Int, h: Int, w: Int, kernel: Int, stride: Int = 1, pad: Int
  ) throws -> ConvProblem {
    try ConvProblem(
      batch: batch, inChannels: channels, height: h, width: w, outChannels: channels,
      kernelH: kernel, kernelW: kernel, stride: stride, pad: pad, groups: channels)
  }

  /// A pointwise (1x1) problem.
  public static func pointwise(batch: Int = 1, inChannels: Int, outChannels: Int, h: Int, w: Int)
    throws -> ConvProblem
  {
    try ConvProblem(
      batch: batch, inChannels: inChannels, height: h, width: w, outChannels: outChannels,
      kernelH: 1, kernelW: 1)
  }

  /// A standard (ungrouped) square-kernel convolution.
  public static func standard(
    batch: Int = 1, inChannels: Int, outChannels: Int, h: Int, w: Int, kernel: Int,
    stride: Int = 1, pad: Int
  ) throws -> ConvProblem {
    try ConvProblem(
      batch: batch, inChannels: inChannels, height: h, width: w, outChannels: outChannels,
      kernelH: kernel, kernelW: kernel, stride: stride, pad: pad)
  }
}
