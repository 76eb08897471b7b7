import ConvKernels
import Foundation

extension RunPlan {
  /// A generous estimate of the memory one suite case needs: inputs and outputs in every
  /// layout, the Double reference, weights packed by every variant, and an im2col workspace.
  public func estimatedBytes(for problem: ConvProblem) -> Int {
    var total = 0
    let layoutCount = layouts.count
    for op in ops {
      let part = problem.part(for: op)
      let variantCount = max(1, variants(for: op).count)
      let (input, inputOK) = part.inputCount.multipliedReportingOverflow(by: 4 * (1 + layoutCount))
      let (output, outputOK) = part.outputCount.multipliedReportingOverflow(
        by: 8 + 4 * (layoutCount + 2))
      let (weights, weightsOK) = problem.cost(for: op).params.multipliedReportingOverflow(
        by: 4 * (2 + variantCount))
      let (im2col, im2colOK) = (part.kernelH * part.kernelW * part.inChannels)
        .multipliedReportingOverflow(by: 4 * part.outHeight * part.outWidth * part.batch)
      if inputOK || outputOK || weightsOK || im2colOK { return Int.max }
      total = total.addingReportingOverflow(input + output + weights + im2col).partialValue
    }
    return total
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
