import ConvKernels

/// The forward pass in Double, from the same weights and input as the network under test:
/// every stage's output in NCHW, nothing rounded to Float between stages.
public enum NetworkReference {
  /// The output of every stage of `stages` (NCHW, Double) for the NCHW `input`.
  public static func forward(
    _ stages: [NetworkStage], weights: [StageWeights], input: [Float]
  ) -> [[Double]] {
    precondition(stages.count == weights.count, "one set of weights per stage")
    var x = input.map(Double.init)
    var outputs: [[Double]] = []
    for (stage, stageWeights) in zip(stages, weights) {
      x = run(stage, stageWeights, x)
      outputs.append(x)
    }
    return outputs
  }

  /// One stage on a Double NCHW input.
  public static func run(_ stage: NetworkStage, _ weights: StageWeights, _ x: [Double])
    -> [Double]
  {
    switch stage.kind {
    case .reorder:
      return x
    case .averagePool:
      let plane = stage.inputShape.h * stage.inputShape.w
      return (0..<stage.inputShape.c).map { c in
        x[(c * plane)..<((c + 1) * plane)].reduce(0, +) / Double(plane)
      }
    case .fullyConnected:
      let p = stage.problem!
      let product = Reference.convolution(p, x, weights.parameters!.weights)
      return zip(product, weights.bias!).map { $0 + Double($1) }
    case .convBlock:
      let p = stage.problem!
      let parameters = weights.parameters!
      return Reference.relu(
        Reference.batchNorm(
          Reference.convolution(p, x, parameters.weights), parameters.norm!, stage.outputShape))
    case .sepBlock:
      let p = stage.problem!
      let parameters = weights.parameters!
      let dw = p.depthwisePart
      let pw = p.pointwisePart
      let mid = Reference.relu(
        Reference.batchNorm(
          Reference.convolution(dw, x, parameters.weights), parameters.norm!,
          dw.outputShape(for: .dw)))
      return Reference.relu(
        Reference.batchNorm(
          Reference.convolution(pw, mid, parameters.pointwiseWeights!),
          parameters.pointwiseNorm!, stage.outputShape))
    }
  }
}
