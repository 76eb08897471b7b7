import ConvKernels
import Foundation

extension RunPlan {
  /// A generous estimate of the memory one suite case needs: inputs and outputs in every
  /// layout, the Double reference, weights packed by every variant, and an im2col workspace.
  public func estimatedBytes(for problem: ConvProblem) -> Int {
    // In Double: an estimate, and every product stays far from overflow.
    var total = 0.0
    let layoutCount = Double(layouts.count)
    for op in ops {
      let part = problem.part(for: op)
      let variantCount = Double(max(1, variants(for: op).count))
      let input = Double(part.inputCount) * 4 * (1 + layoutCount)
      let output = Double(part.outputCount) * (8 + 4 * (layoutCount + 2))
      let weights = Double(problem.cost(for: op).params) * 4 * (2 + variantCount)
      let im2col =
        Double(part.kernelH * part.kernelW * part.inChannels) * 4
        * Double(part.outHeight * part.outWidth * part.batch)
      total += input + output + weights + im2col
    }
    return total >= Double(Int.max) ? Int.max : Int(total)
  }

  /// Throws `ProblemError.tooLarge` when a suite case would need more than half of this
  /// machine's memory.
  public func checkMemory(limit: UInt64 = ProcessInfo.processInfo.physicalMemory / 2) throws {
    let allowed = Int(min(limit, UInt64(Int.max)))
    for suiteCase in suite.cases {
      let bytes = estimatedBytes(for: suiteCase.problem)
      if bytes > allowed {
        throw ProblemError.tooLarge(
          what: "shape \(suiteCase.problem.descriptor)", bytes: bytes, limit: allowed)
      }
    }
  }
}
