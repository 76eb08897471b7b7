/// One operator on one problem with seeded data and its reference output: the fixture that
/// every variant of the operator is checked against. Build it once per (op, problem, seed)
/// and check many variants with it.
public struct ReferenceCase: Sendable {
  public let op: Op
  /// The block shape (see `ConvProblem.part(for:)`).
  public let problem: ConvProblem
  public let seed: UInt64
  public let parameters: OpParameters
  /// Input in NCHW.
  public let input: Tensor
  /// Reference output in NCHW, computed in Double.
  public let expected: [Double]
  /// Largest |expected| (at least 1), the scale of the tolerance.
  public let magnitude: Double

  /// Draws input and parameters from `seed` and computes the reference output.
  public init(op: Op, problem: ConvProblem, seed: UInt64) {
    self.op = op
    self.problem = problem
    self.seed = seed
    parameters = OpParameters.random(for: op, problem: problem, seed: seed &+ 1)
    input = Tensor.random(
      shape: problem.part(for: op).inputShape(for: op), layout: .nchw, seed: seed)
    expected = Reference.run(op: op, problem: problem, parameters: parameters, input: input.values)
    magnitude = max(1, expected.lazy.map(abs).max() ?? 1)
  }

  /// Allowed absolute error: `4 * Float.ulpOfOne * L * magnitude`, L the accumulation length
  /// (products summed into one output), so longer sums may round more.
  public var tolerance: Double {
    4 * Double(Float.ulpOfOne) * Double(Reference.accumulationLength(op: op, problem: problem))
      * magnitude
  }

  /// Runs `variant` once (prepared on a pool of exactly `variant.threads` threads) on this
  /// case's data and compares with the reference.
  public func check(_ variant: any KernelVariant) -> VariantCheck {
    let kernel = variant.prepare(problem, parameters, pool: .with(threads: variant.threads))
    return check(kernel, layout: variant.layout, errorGrowth: type(of: variant).errorGrowth)
  }

  /// Runs a prepared kernel once on this case's data (converted to `layout`) and compares with
  /// the reference, allowing `errorGrowth` times `tolerance` (the family's
  /// `KernelVariant.errorGrowth`). The output is pre-filled with NaN, so outputs a kernel
  /// never writes show up as `nonFiniteOutputs` even though `max` would hide them.
  public func check(_ kernel: any PreparedKernel, layout: Layout, errorGrowth: Double = 1)
    -> VariantCheck
  {
    let part = problem.part(for: op)
    let src = input.converted(to: layout)
    let dst = Tensor(shape: part.outputShape(for: op), layout: layout, value: .nan)
    kernel.run(src.pointer, dst.pointer)
    return compare(dst, errorGrowth: errorGrowth)
  }

  /// Compares an output tensor (any layout) with the reference, allowing `errorGrowth` times
  /// `tolerance`.
  public func compare(_ output: Tensor, errorGrowth: Double = 1) -> VariantCheck {
    let got = output.converted(to: .nchw).values
    var maxError = 0.0
    var worstIndex = 0
    var nonFinite = 0
    for (index, value) in got.enumerated() {
      guard value.isFinite else {
        nonFinite += 1
        continue
      }
      let error = abs(Double(value) - expected[index])
      if error > maxError {
        maxError = error
        worstIndex = index
      }
    }
    return VariantCheck(
      maxAbsError: maxError, tolerance: errorGrowth * tolerance, magnitude: magnitude,
      nonFiniteOutputs: nonFinite,
      worstIndex: worstIndex, outputs: got)
  }
}

/// The outcome of checking one variant against the reference.
public struct VariantCheck: Sendable {
  /// Largest |output - reference| over finite outputs.
  public let maxAbsError: Double
  /// The allowed error (`ReferenceCase.tolerance` times the family's error growth).
  public let tolerance: Double
  /// Largest |reference output| (at least 1): `maxAbsError / magnitude` is the relative error.
  public let magnitude: Double
  /// Outputs that are NaN or infinite (unwritten outputs stay NaN).
  public let nonFiniteOutputs: Int
  /// NCHW index of the largest error.
  public let worstIndex: Int
  /// The variant's output in NCHW.
  public let outputs: [Float]

  /// True when every output is finite and within tolerance.
  public var passed: Bool { nonFiniteOutputs == 0 && maxAbsError <= tolerance }
}
