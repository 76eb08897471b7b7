import ConvKernels
import Harness
import Testing

@Suite struct NetworkStageTests {
  @Test func separableStagesAreTheCostTableInOrder() throws {
    let model = try MobileNetV1.model()
    let stages = model.stages(.separable)
    #expect(
      stages.map(\.name) == ["conv1"] + (1...13).map { $0 < 10 ? "b0\($0)" : "b\($0)" } + [
        "pool", "fc",
      ])
    #expect(
      stages.map(\.kind.rawValue) == ["conv_block"] + Array(repeating: "sep_block", count: 13) + [
        "avg_pool", "fc",
      ])
    // 568,740,352 MACs and 4,209,088 parameters: `MobileNetV1Tests` derives both by hand.
    #expect(stages.reduce(0) { $0 + $1.macs } == 568_740_352)
    #expect(stages.reduce(0) { $0 + $1.params } == 4_209_088)
    #expect(stages[0].inputShape == TensorShape(n: 1, c: 3, h: 224, w: 224))
    #expect(stages[14].inputShape == TensorShape(n: 1, c: 1024, h: 7, w: 7))
    #expect(stages[15].outputShape == TensorShape(n: 1, c: 1000, h: 1, w: 1))
    #expect(stages.map(\.op) == [.convBlock] + Array(repeating: .sepBlock, count: 13) + [nil, .pw])
  }

  @Test func twinsReplaceOnlyTheBlocks() throws {
    let model = try MobileNetV1.model()
    let standard = model.stages(.standard)
    #expect(standard.filter(\.isBlock).allSatisfy { $0.kind == .convBlock })
    // 4,867,293,184 MACs and 29,281,120 parameters (`MobileNetV1` header).
    #expect(standard.reduce(0) { $0 + $1.macs } == 4_867_293_184)
    #expect(standard.reduce(0) { $0 + $1.params } == 29_281_120)
    #expect(model.stages(.winograd) == standard)
    #expect(standard[0] == model.stages(.separable)[0])
    #expect(standard[15] == model.stages(.separable)[15])
  }

  @Test func accumulationLengthsFollowEachOperator() throws {
    let stages = try MobileNetV1.model().stages(.separable)
    #expect(stages[0].accumulationLength == 3 * 9)  // stem: C_in * 3x3
    #expect(stages[1].accumulationLength == 9 + 32)  // b01: dw taps + pw C_in
    #expect(stages[14].accumulationLength == 49)  // pool over 7x7
    #expect(stages[15].accumulationLength == 1024)  // fc
  }

  @Test func twinsShareTheStemTheFCAndEachOther() throws {
    let model = try MobileNetV1.model(width: 0.25, resolution: 32)
    let separable = model.stages(.separable).map { StageWeights(for: $0, seed: 3) }
    let standard = model.stages(.standard).map { StageWeights(for: $0, seed: 3) }
    let winograd = model.stages(.winograd).map { StageWeights(for: $0, seed: 3) }
    #expect(separable[0].parameters?.weights == standard[0].parameters?.weights)
    #expect(separable[15].parameters?.weights == standard[15].parameters?.weights)
    #expect(separable[15].bias == standard[15].bias)
    #expect(separable[15].bias?.count == 1000)
    #expect(separable[1].parameters?.pointwiseWeights != nil)
    #expect(standard[1].parameters?.pointwiseWeights == nil)
    for (a, b) in zip(standard, winograd) {
      #expect(a.parameters?.weights == b.parameters?.weights)
    }
    let reseeded = model.stages(.separable).map { StageWeights(for: $0, seed: 4) }
    #expect(reseeded[0].parameters?.weights != separable[0].parameters?.weights)
  }

  @Test func referencePoolsAndAddsTheBias() throws {
    let pool = NetworkStage(
      name: "pool", kind: .averagePool, problem: nil,
      inputShape: TensorShape(n: 1, c: 2, h: 2, w: 2),
      outputShape: TensorShape(n: 1, c: 2, h: 1, w: 1),
      macs: 0, params: 0, isBlock: false)
    #expect(
      NetworkReference.run(pool, StageWeights(for: pool, seed: 1), [1, 2, 3, 4, 5, 6, 7, 8])
        == [2.5, 6.5])
    let problem = try ConvProblem.pointwise(inChannels: 2, outChannels: 3, h: 1, w: 1)
    let fc = NetworkStage(
      name: "fc", kind: .fullyConnected, problem: problem,
      inputShape: TensorShape(n: 1, c: 2, h: 1, w: 1),
      outputShape: TensorShape(n: 1, c: 3, h: 1, w: 1),
      macs: 6, params: 6, isBlock: false)
    let weights = StageWeights(for: fc, seed: 1)
    let w = weights.parameters!.weights.map(Double.init)
    let b = weights.bias!.map(Double.init)
    let got = NetworkReference.run(fc, weights, [2, -1])
    for o in 0..<3 {
      let expected: Double = 2 * w[2 * o] - w[2 * o + 1] + b[o]
      #expect(abs(got[o] - expected) < 1e-12)
    }
  }
}
