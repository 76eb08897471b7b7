import ConvKernels

extension RunPlan {
  /// A generous estimate of the memory one suite case needs: every selected operator's
  /// operands and reference at once, with every variant prepared (the runner keeps them all
  /// alive to time them round-robin).
  public func estimatedBytes(for problem: ConvProblem) -> Int {
    MemoryEstimate.saturated(
      ops.reduce(0.0) { total, op in
        total
          + MemoryEstimate.bytes(
            op: op, problem: problem, layouts: layouts.count,
            variants: max(1, variants(for: op).count))
      })
  }

  /// Checks every suite case against the memory budget of `limits` (half of the tightest of
  /// physical RAM, the address space left under `RLIMIT_AS` and the cgroup limit).
  /// - Throws: `ProblemError.tooLarge` naming the first case over the budget, what it needs,
  ///   what is allowed and which limit sets the budget.
  public func checkMemory(limits: MemoryLimits = .current()) throws {
    let budget = limits.budget
    for suiteCase in suite.cases {
      let bytes = estimatedBytes(for: suiteCase.problem)
      if bytes > budget.bytes {
        throw ProblemError.tooLarge(
          what: "shape \(suiteCase.problem.descriptor)", bytes: bytes, limit: budget.bytes,
          limitedBy: budget.limitedBy)
      }
    }
  }
}

/// Upper estimates of the memory one operator needs on one block shape.
enum MemoryEstimate {
  /// Bytes `op` needs on `problem` with `layouts` layouts and `variants` variants prepared at
  /// the same time: the NCHW input and a copy per layout; the Double reference output, an
  /// output per layout and two more for checking; the weights twice and packed once per
  /// variant; and per variant a scratch buffer (an im2col matrix for a standard convolution,
  /// the depthwise intermediate for a separable block, which the reference also keeps in
  /// Double). In Double, so that no product overflows.
  static func bytes(op: Op, problem: ConvProblem, layouts: Int, variants: Int) -> Double {
    let part = problem.part(for: op)
    let layoutCount = Double(layouts)
    let variantCount = Double(variants)
    let input = Double(part.inputCount) * 4 * (1 + layoutCount)
    let output = Double(part.outputCount) * (8 + 4 * (layoutCount + 2))
    let weights = Double(problem.cost(for: op).params) * 4 * (2 + variantCount)
    let scratch: Double
    switch op {
    case .conv, .convBlock:
      scratch =
        Double(part.kernelH * part.kernelW * part.inChannels) * 4
        * Double(part.outHeight * part.outWidth * part.batch) * variantCount
    case .sepBlock:
      scratch = Double(part.depthwisePart.outputCount) * (8 + 4 * variantCount)
    case .dw, .pw:
      scratch = 0
    }
    return input + output + weights + scratch
  }

  /// `bytes` as an Int, `Int.max` when larger.
  static func saturated(_ bytes: Double) -> Int {
    bytes >= Double(Int.max) ? Int.max : Int(bytes)
  }
}
