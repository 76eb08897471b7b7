import ConvKernels
import KernelCatalog
import TestSupport

/// Shapes and checks shared by the depthwise family tests.
enum DepthwiseTestCases {
  /// The random block shapes of `sepbench validate` plus the fixed ones.
  static let validationShapes: [ConvProblem] =
    ValidationProblems.blockShapes(count: 40, seed: 2024) + ValidationProblems.fixedShapes

  /// XNNPACK-style channel tails (C = 1, 7, 8, 9, 15, 16, 29) at stride 1 and 2, pad 0 and
  /// 1, K = 3 and 5, on tiny images; shapes the problem rules reject (K > H + 2 pad) are left
  /// out.
  static func tailShapes(channels: Int) -> [ConvProblem] {
    var shapes: [ConvProblem] = []
    for (h, w) in [(1, 1), (2, 3), (7, 7)] {
      for kernel in [3, 5] {
        for stride in [1, 2] {
          for pad in [0, 1] {
            if let p = try? ConvProblem.depthwise(
              channels: channels, h: h, w: w, kernel: kernel, stride: stride, pad: pad)
            {
              shapes.append(p)
            }
          }
        }
      }
    }
    return shapes
  }

  /// Shapes for the thread tests: small images with C split across threads, a batch, K = 5.
  static let threadShapes: [ConvProblem] = [
    try! .depthwise(channels: 72, h: 14, w: 14, kernel: 3, stride: 1, pad: 1),
    try! .depthwise(channels: 40, h: 14, w: 14, kernel: 3, stride: 2, pad: 1),
    try! .depthwise(channels: 200, h: 7, w: 7, kernel: 3, stride: 1, pad: 1),
    try! .depthwise(batch: 3, channels: 29, h: 13, w: 11, kernel: 5, stride: 2, pad: 2),
    try! .depthwise(batch: 2, channels: 9, h: 30, w: 23, kernel: 3, stride: 1, pad: 0),
  ]

  /// A variant of the registered `dw` family `family`.
  static func variant(_ family: String, _ layout: Layout, threads: Int = 1) -> any KernelVariant {
    VariantRegistry.family(op: .dw, named: family)!.init(layout: layout, threads: threads)
  }

  /// Whether this CPU can run `family` (the ISA gate).
  static func canRun(_ family: String) -> Bool {
    guard let type = VariantRegistry.family(op: .dw, named: family) else { return false }
    return CPUFeatures.current.isSuperset(of: type.requires)
  }

  /// Outputs of one and two threads of `family` on `problem`, as bit patterns.
  static func oneAndTwoThreads(_ family: String, _ layout: Layout, _ problem: ConvProblem)
    -> (one: [UInt32], two: [UInt32])
  {
    let tester = KernelTester(.dw, problem, seed: 11)
    // `check` prepares on a pool of exactly `threads` threads (`WorkerPool.with(threads:)`).
    let one = tester.referenceCase.check(variant(family, layout, threads: 1))
    let two = tester.referenceCase.check(variant(family, layout, threads: 2))
    return (one.outputs.map(\.bitPattern), two.outputs.map(\.bitPattern))
  }
}
