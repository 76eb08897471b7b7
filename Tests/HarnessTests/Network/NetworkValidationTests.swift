import ConvKernels
import Harness
import KernelCatalog
import Testing

@Suite struct NetworkValidationTests {
  /// The acceptance configurations: widths 1.0 and 0.5 at resolutions 224 and 128.
  @Test(arguments: [(1.0, 224), (1.0, 128), (0.5, 224), (0.5, 128)])
  func theSeparableNetworkMatchesTheDoubleNetwork(width: Double, resolution: Int) throws {
    let (network, stages, weights) = try NetworkFixture.compile(
      .separable, width: width, resolution: resolution, layout: .nhwc)
    let reference = NetworkReference.forward(stages, weights: weights, input: network.input.values)
    let check = NetworkValidation(network, reference: reference)
    #expect(check.passed, "\(check.failureText ?? "")")
    #expect(check.stages.count == stages.count)
    // The bound is loose by design (a worst case); the error must still be far inside it.
    #expect(check.logits.maxAbsError < check.logits.tolerance / 100)
    #expect(check.logits.maxAbsError > 0)
  }

  @Test(arguments: NetworkForm.allCases, Layout.allCases)
  func everyFormAndLayoutMatchesTheDoubleNetwork(form: NetworkForm, layout: Layout) throws {
    guard form != .winograd || layout == .nhwc else { return }  // Winograd is NHWC only
    let (network, stages, weights) = try NetworkFixture.compile(
      form, width: 0.25, resolution: 64, layout: layout, threads: 2)
    let reference = NetworkReference.forward(stages, weights: weights, input: network.input.values)
    let check = NetworkValidation(network, reference: reference)
    #expect(check.passed, "\(check.failureText ?? "")")
    #expect(network.stages.first?.spec.kind == (layout == .nhwc ? .reorder : .convBlock))
  }

  /// Every stem that reads the NCHW image, of each ISA this CPU runs: no reorder stage, the
  /// stem's kernel named, and the whole network within its bound on 1 and 2 threads.
  @Test(arguments: [ISA.avx2, .avx512].filter(\.isSupported), [1, 2])
  func aStemReadingTheImageItselfMatchesTheDoubleNetwork(isa: ISA, threads: Int) throws {
    let (network, stages, weights) = try NetworkFixture.compile(
      .separable, width: 0.5, resolution: 128, layout: .nhwc, threads: threads)
    let stems = PlanarInputStems.variants(isa: isa, threads: threads)
    #expect(
      stems.map(\.id)
        == (isa == .avx512 ? ["direct-avx512"] : ["direct", "im2col"]).map {
          "conv_block.planar-\($0).nhwc" + (threads > 1 ? ".t2" : "")
        })
    let reference = NetworkReference.forward(stages, weights: weights, input: network.input.values)
    for stem in stems {
      let plan = network.plan.replacing("conv1", with: stem)
      let planar = CompiledNetwork(
        plan: plan, stages: stages, weights: weights, input: network.input)
      #expect(plan.reorders == 0)
      #expect(planar.stages.count == stages.count)
      #expect(planar.stages[0].variantID == stem.id)
      let check = NetworkValidation(planar, reference: reference)
      #expect(check.passed, "\(stem.id): \(check.failureText ?? "")")
      #expect(check.stages.count == stages.count)
    }
  }

  @Test func bothLayoutsGiveTheSameLogits() throws {
    let nchw = try NetworkFixture.compile(.separable, width: 0.25, resolution: 64, layout: .nchw)
    let nhwc = try NetworkFixture.compile(.separable, width: 0.25, resolution: 64, layout: .nhwc)
    nchw.network.forward()
    nhwc.network.forward()
    let a = nchw.network.output
    let b = nhwc.network.output
    #expect(a.count == 1000)
    let largest = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    #expect(largest < 1e-3)
  }

  /// The check of the separable network at α 0.25 and `resolution` with `variant` on stage
  /// `name` (every other stage on its fixture kernel), NCHW.
  func check(replacing name: String, with variant: any KernelVariant, resolution: Int) throws
    -> NetworkValidation
  {
    let stages = try MobileNetV1.model(width: 0.25, resolution: resolution).stages(.separable)
    let plan = try NetworkPlanner.plan(
      .separable, stages: stages, threads: 1,
      timings: NetworkFixture.timings(for: stages, families: NetworkFixture.families(.separable)),
      layouts: [.nchw]
    ).replacing(name, with: variant)
    let weights = stages.map { StageWeights(for: $0, seed: 7) }
    let input = Tensor.random(shape: stages[0].inputShape, layout: .nchw, seed: 7)
    let network = CompiledNetwork(plan: plan, stages: stages, weights: weights, input: input)
    return NetworkValidation(
      network, reference: NetworkReference.forward(stages, weights: weights, input: input.values))
  }

  @Test func aWrongStageIsNamedAndTheStagesBeforeItPass() throws {
    let check = try check(
      replacing: "b05", with: OffByOneSeparable(layout: .nchw, threads: 1), resolution: 64)
    #expect(check.firstFailure?.stage == "b05")
    #expect(check.stages.prefix(5).allSatisfy { $0.passed })
    let text = try #require(check.failureText)
    #expect(text.hasPrefix("stage b05 (sep_block.off-by-one.nchw) is wrong: max error"))
  }

  @Test func unwrittenOutputsFail() throws {
    var broken = OffByOneSeparable(layout: .nchw, threads: 1)
    broken.skipsLastOutput = true
    let check = try check(replacing: "b02", with: broken, resolution: 32)
    #expect(check.firstFailure?.stage == "b02")
    #expect(check.firstFailure?.nonFiniteOutputs == 1)
  }
}

extension NetworkPlan {
  /// This plan with `variant` on stage `name`.
  func replacing(_ name: String, with variant: any KernelVariant) -> NetworkPlan {
    replacing([
      name: StageChoice(stage: name, variant: variant, aloneNanoseconds: 1, source: "test")
    ])
  }
}

/// A separable block that adds 0.01 to one output (or leaves the last one unwritten).
struct OffByOneSeparable: KernelVariant {
  static let op = Op.sepBlock
  static let family = "off-by-one"
  static let layouts: Set<Layout> = [.nchw]
  static let summary = "test double"
  let layout: Layout
  let threads: Int
  var skipsLastOutput = false

  init(layout: Layout, threads: Int) {
    self.layout = layout
    self.threads = threads
  }

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    let real = VariantRegistry.family(op: .sepBlock, named: "bn-folded")!.init(
      layout: layout, threads: 1)
    return Kernel(
      inner: real.prepare(problem, parameters, pool: pool),
      count: problem.part(for: .sepBlock).outputShape(for: .sepBlock).count,
      skipsLastOutput: skipsLastOutput)
  }

  final class Kernel: PreparedKernel {
    let inner: any PreparedKernel
    let count: Int
    let skipsLastOutput: Bool
    let saved: UnsafeMutablePointer<Float>

    init(inner: any PreparedKernel, count: Int, skipsLastOutput: Bool) {
      self.inner = inner
      self.count = count
      self.skipsLastOutput = skipsLastOutput
      saved = .allocate(capacity: 1)
    }

    deinit { saved.deallocate() }

    func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
      saved.pointee = dst[count - 1]
      inner.run(src, dst)
      if skipsLastOutput {
        dst[count - 1] = saved.pointee
      } else {
        dst[count / 2] += 0.01
      }
    }
  }
}

/// A late Winograd block whose output is all zeros must fail: the bound carries the measured
/// error of the stage before, not the sum of earlier bounds (which, at growth 256, passes it).
@Suite struct NetworkWinogradBoundTests {
  @Test func anAllZeroWinogradBlockIsCaught() throws {
    let stages = try MobileNetV1.model(width: 0.25, resolution: 64).stages(.winograd)
    let plan = try NetworkPlanner.plan(
      .winograd, stages: stages, threads: 1,
      timings: NetworkFixture.timings(for: stages, families: NetworkFixture.families(.winograd)),
      layouts: [.nhwc]
    ).replacing("b11", with: ZeroWinograd(layout: .nhwc, threads: 1))
    let weights = stages.map { StageWeights(for: $0, seed: 7) }
    let input = Tensor.random(shape: stages[0].inputShape, layout: .nchw, seed: 7)
    let network = CompiledNetwork(plan: plan, stages: stages, weights: weights, input: input)
    let check = NetworkValidation(
      network, reference: NetworkReference.forward(stages, weights: weights, input: input.values))
    #expect(check.firstFailure?.stage == "b11")
    let b10 = try #require(check.stages.first { $0.stage == "b10" })
    #expect(b10.passed)
    // b10's bound is its own rounding bound plus the (tiny) error measured before it.
    let own = 4 * Double(Float.ulpOfOne) * 9 * 128 * 256
    #expect(b10.tolerance / b10.magnitude < own * 1.01)
  }
}

/// A Winograd F(4x4) conv_block that writes zeros.
struct ZeroWinograd: KernelVariant {
  static let op = Op.convBlock
  static let family = "zero"
  static let layouts: Set<Layout> = [.nhwc]
  static let summary = "test double"
  static let algorithm = ConvAlgorithm.winograd
  static let errorGrowth = 256.0
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? { nil }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    Kernel(count: problem.outputShape(for: .convBlock).count)
  }

  final class Kernel: PreparedKernel {
    let count: Int
    init(count: Int) { self.count = count }
    func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
      dst.update(repeating: 0, count: count)
    }
  }
}
