import ConvKernels
import ConvKernelsAVX512

/// KxK convolution in NHWC as per-tap GEMMs on the 12x32 AVX-512 tiles, over a zero-padded
/// copy of the input (`ConvPaddedDirectKernel`: layout, tiles, blocking and thread split).
struct ConvDirectAVX512: KernelVariant {
  static let op = Op.conv
  static let family = "direct-avx512"
  static let layouts: Set<Layout> = [.nhwc]
  static let isThreaded = true  // threads own disjoint output rows or channels
  static let isa = ISA.avx512
  static let summary =
    "zero-padded input, 12 pixels x 32 channels in registers over all KxK taps (stride 1: tiles span output rows)"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.groups == 1 ? nil : "needs groups = 1, got \(problem.groups)"
  }

  func note(for problem: ConvProblem) -> String? {
    let padded = (problem.height + 2 * problem.pad) * (problem.width + 2 * problem.pad)
    return "padded input \(ByteCount(4 * problem.batch * padded * problem.inChannels))"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    ConvPaddedDirectKernel(
      problem.part(for: Self.op), threads: threads, pool: pool, weights: parameters.weights,
      bias: nil, relu: false)
  }
}
