import ConvKernels
import Testing

/// Every part of a valid block shape (`depthwisePart`, `pointwisePart`, the standard twin
/// behind `part(for: .conv)`) is itself a valid problem, so no input can reach a trap when a
/// command takes the parts; shapes whose parts would be invalid are refused up front.
@Suite struct ConvProblemPartsTests {
  /// The public, checking initialiser applied to `p`'s fields.
  func rechecked(_ p: ConvProblem) throws -> ConvProblem {
    try ConvProblem(
      batch: p.batch, inChannels: p.inChannels, height: p.height, width: p.width,
      outChannels: p.outChannels, kernelH: p.kernelH, kernelW: p.kernelW, stride: p.stride,
      pad: p.pad, groups: p.groups)
  }

  /// Shapes at the edges of the limits: the largest extents, the largest counts that still
  /// fit, the most padding, and C_in far from C_out either way.
  static let edgeShapes = [
    "n1c1h1048576w1k3p1", "n1c1h1048574w1k3p2", "n1c1048576h1w1o1k1p0", "n1c1h1w1o1048576k1p0",
    "n1c1048576h300o1k3s1p1", "n1c1o1048576h300k3s1p1", "n1c1048576h1w1o1048576k3p1",
    "n1048576c1h1w1k1p0", "c3h7k7p6", "c8h5w3k5x1p0", "c1024h1024o4096k3s2p1g1",
    "c64h56g64k3p1", "n2c1048576h2w2g1048576k2p1",
  ]

  @Test(arguments: edgeShapes)
  func everyPartOfAValidShapeIsValid(descriptor: String) throws {
    let block = try ConvProblem(descriptor: descriptor)
    for op in Op.allCases {
      let part = block.part(for: op)
      #expect(try rechecked(part) == part, "\(descriptor) \(op)")
      // Parts of parts too: runners take the depthwise part of a depthwise problem and the
      // standard twin of any problem.
      for inner in Op.allCases {
        let innerPart = part.part(for: inner)
        #expect(try rechecked(innerPart) == innerPart, "\(descriptor) \(op) \(inner)")
      }
    }
  }

  @Test func channelsWhoseDepthwisePartOverflowsAreRefusedAtParse() {
    // C_in = 2^20, C_out = 1: the block's counts fit, but its depthwise part is 2^20 -> 2^20.
    #expect(
      throws: ProblemError.countOverflow(descriptor: "n1c1048576h342w342o1k3s1p1")
    ) {
      try ConvProblem(descriptor: "n1c1048576h342o1k3s1p1")
    }
  }

  @Test func outputTallerThanTheLimitIsRefusedNamingHOut() {
    // (1048576 + 2*2 - 3) / 1 + 1 = 1048578: the pointwise part's height would be too large.
    #expect {
      try ConvProblem(descriptor: "n1c1h1048576w1k3p2")
    } throws: { error in
      guard case .invalidField(let field, let value, let allowed) = error as? ProblemError else {
        return false
      }
      return field == "h_out" && value == 1_048_578 && allowed.hasPrefix("at most 1048576")
    }
  }

  @Test func outputWiderThanTheLimitIsRefusedNamingWOut() {
    #expect {
      try ConvProblem(descriptor: "n1c1h1w1048576k3p2")
    } throws: { error in
      guard case .invalidField(let field, _, _) = error as? ProblemError else { return false }
      return field == "w_out"
    }
  }
}
