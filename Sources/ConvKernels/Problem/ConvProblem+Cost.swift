/// Exact arithmetic and memory cost of one operator on one problem.
///
/// Counting convention (the README states the same):
/// - **MACs**: one multiply-accumulate per weight tap per output element,
///   `N * C_out * H_out * W_out * (C_in / groups) * KH * KW`. Padding taps count (the
///   MobileNets paper counts them too); bias, BN and ReLU add no MACs.
/// - **FLOPs**: `2 * MACs` for every convolution, plus for each inference batch norm 2 per
///   output element (a scale and a shift) and for each ReLU 1 per output element.
/// - **Parameters**: convolution weights only (`params`); no bias, since BN follows every
///   convolution in the blocks. BN parameters (gamma, beta, mean, variance: 4 per channel)
///   are reported separately as `bnParams`.
/// - **Minimum bytes**: 4 bytes for each input element, weight and output element, each
///   touched once; a block also reads 2 floats per channel per BN (the folded scale and
///   shift). The block's intermediate tensor is not counted: a fused kernel never stores it.
public struct OpCost: Hashable, Sendable, Codable {
  /// Multiply-accumulates.
  public var macs: Int
  /// Floating-point operations (see the type's counting convention).
  public var flops: Int
  /// Convolution weights.
  public var params: Int
  /// Batch-norm parameters (4 per normalised channel).
  public var bnParams: Int
  /// Minimum bytes moved to and from memory.
  public var bytesMin: Int

  /// Arithmetic intensity: FLOPs per minimum byte.
  public var arithmeticIntensity: Double { Double(flops) / Double(bytesMin) }
}

extension ConvProblem {
  /// MACs of this single convolution.
  public var macs: Int {
    batch * outChannels * outHeight * outWidth * inChannelsPerGroup * kernelH * kernelW
  }

  /// The exact cost of `op` on this block shape (`part(for:)` picks the operator's problem).
  public func cost(for op: Op) -> OpCost {
    let p = part(for: op)
    let bytesPerFloat = 4
    switch op {
    case .conv, .dw, .pw:
      return OpCost(
        macs: p.macs, flops: 2 * p.macs, params: p.weightCount, bnParams: 0,
        bytesMin: bytesPerFloat * (p.inputCount + p.weightCount + p.outputCount))
    case .convBlock:
      return OpCost(
        macs: p.macs, flops: 2 * p.macs + 3 * p.outputCount, params: p.weightCount,
        bnParams: 4 * p.outChannels,
        bytesMin: bytesPerFloat * (p.inputCount + p.weightCount + 2 * p.outChannels + p.outputCount)
      )
    case .sepBlock:
      let dw = p.depthwisePart
      let pw = p.pointwisePart
      let macs = dw.macs + pw.macs
      return OpCost(
        macs: macs, flops: 2 * macs + 3 * dw.outputCount + 3 * pw.outputCount,
        params: dw.weightCount + pw.weightCount, bnParams: 4 * (dw.outChannels + pw.outChannels),
        bytesMin: bytesPerFloat
          * (dw.inputCount + dw.weightCount + pw.weightCount + 2 * (dw.outChannels + pw.outChannels)
            + pw.outputCount))
    }
  }

  /// MACs of the separable block divided by MACs of its standard twin:
  /// exactly `1 / C_out + 1 / (KH * KW)` when H_out and W_out are the same for both (always:
  /// the pointwise part runs on the depthwise output).
  public var separableMACRatio: Double {
    Double(cost(for: .sepBlock).macs) / Double(cost(for: .convBlock).macs)
  }
}
