import ConvKernels
import Testing

@Suite struct ConvProblemTests {
  /// A valid 3x3 problem with one field replaced.
  func make(
    batch: Int = 1, inChannels: Int = 4, height: Int = 8, width: Int = 8, outChannels: Int = 4,
    kernelH: Int = 3, kernelW: Int = 3, stride: Int = 1, pad: Int = 1, groups: Int = 1
  ) throws -> ConvProblem {
    try ConvProblem(
      batch: batch, inChannels: inChannels, height: height, width: width, outChannels: outChannels,
      kernelH: kernelH, kernelW: kernelW, stride: stride, pad: pad, groups: groups)
  }

  /// The field name `ProblemError.invalidField` carries, or nil for any other outcome.
  func rejectedField(_ build: () throws -> ConvProblem) -> String? {
    do {
      _ = try build()
      return nil
    } catch let ProblemError.invalidField(field, _, _) {
      return field
    } catch {
      return nil
    }
  }

  @Test(arguments: [0, -1, -7])
  func nonPositiveSizesAreRejectedNamingTheField(value: Int) {
    #expect(rejectedField { try make(batch: value) } == "n")
    #expect(rejectedField { try make(inChannels: value) } == "c_in")
    #expect(rejectedField { try make(height: value) } == "h")
    #expect(rejectedField { try make(width: value) } == "w")
    #expect(rejectedField { try make(outChannels: value) } == "c_out")
    #expect(rejectedField { try make(kernelH: value) } == "kh")
    #expect(rejectedField { try make(kernelW: value) } == "kw")
    #expect(rejectedField { try make(stride: value) } == "stride")
    #expect(rejectedField { try make(groups: value) } == "groups")
  }

  @Test func zeroStrideIsRejectedWithTheAllowedRange() {
    #expect(
      throws: ProblemError.invalidField(field: "stride", value: 0, allowed: "between 1 and 1048576")
    ) {
      try make(stride: 0)
    }
    #expect(
      ProblemError.invalidField(field: "stride", value: 0, allowed: "between 1 and 1048576")
        .description
        == "stride = 0 is not allowed; stride must be between 1 and 1048576")
  }

  @Test func negativePaddingIsRejectedNamingTheField() {
    #expect(
      throws: ProblemError.invalidField(field: "pad", value: -1, allowed: "between 0 and 1048576")
    ) {
      try make(pad: -1)
    }
  }

  @Test func sizesAboveTheLimitAreRejected() {
    #expect(rejectedField { try make(inChannels: ConvProblem.maxExtent + 1) } == "c_in")
    #expect(rejectedField { try make(height: ConvProblem.maxExtent + 1) } == "h")
    #expect(rejectedField { try make(inChannels: ConvProblem.maxExtent) } == nil)
  }

  @Test func kernelLargerThanThePaddedInputIsRejected() {
    // 3 > 2 + 2*0.
    #expect(
      throws: ProblemError.invalidField(
        field: "kh", value: 3, allowed: "at most the padded height h + 2*pad = 2")
    ) { try make(height: 2, pad: 0) }
    #expect(rejectedField { try make(width: 2, pad: 0) } == "kw")
    #expect(rejectedField { try make(height: 4, width: 4, kernelH: 7, kernelW: 7, pad: 1) } == "kh")
    // 3 <= 1 + 2*1: a 1x1 input with pad 1 is fine.
    #expect(rejectedField { try make(height: 1, width: 1, pad: 1) } == nil)
  }

  @Test func paddingAsLargeAsTheKernelIsRejected() {
    #expect(rejectedField { try make(kernelH: 1, kernelW: 1, pad: 1) } == "pad")
    #expect(rejectedField { try make(pad: 3) } == "pad")
  }

  @Test func groupsThatDoNotDivideTheChannelsAreRejected() {
    #expect(
      throws: ProblemError.invalidField(field: "groups", value: 4, allowed: "a divisor of c_in = 6")
    ) { try make(inChannels: 6, outChannels: 8, groups: 4) }
    #expect(
      throws: ProblemError.invalidField(
        field: "groups", value: 4, allowed: "a divisor of c_out = 6")
    ) { try make(inChannels: 8, outChannels: 6, groups: 4) }
    #expect(rejectedField { try make(inChannels: 8, outChannels: 8, groups: 4) } == nil)
  }

  @Test func depthwiseOpOnAStandardProblemIsRejectedByValidate() throws {
    let standard = try make()
    #expect {
      try standard.validate(for: .dw)
    } throws: { error in
      guard case .wrongShapeForOp(let op, let reason) = error as? ProblemError else { return false }
      return op == .dw && reason.contains("groups 1")
    }
    let depthwise = try ConvProblem.depthwise(channels: 4, h: 8, w: 8, kernel: 3, pad: 1)
    #expect(throws: Never.self) { try depthwise.validate(for: .dw) }
  }

  @Test func pointwiseAndStandardOpsRejectTheWrongShapes() throws {
    #expect(throws: ProblemError.self) { try make().validate(for: .pw) }
    #expect(throws: ProblemError.self) { try make(groups: 2).validate(for: .conv) }
    #expect(throws: ProblemError.self) { try make(groups: 4).validate(for: .sepBlock) }
    #expect(throws: Never.self) {
      try ConvProblem.pointwise(inChannels: 3, outChannels: 5, h: 2, w: 2).validate(for: .pw)
    }
  }

  // (H + 2*pad - K) / stride + 1, by hand.
  @Test(arguments: [
    // h, w, kh, kw, stride, pad, outH, outW
    (7, 7, 3, 3, 2, 1, 4, 4),  // (7+2-3)/2+1 = 4
    (224, 224, 3, 3, 2, 1, 112, 112),  // (224+2-3)/2+1 = 112 (111.5 floored, +1)
    (5, 5, 5, 5, 1, 0, 1, 1),  // (5-5)/1+1 = 1
    (13, 7, 3, 3, 2, 0, 6, 3),  // (13-3)/2+1 = 6, (7-3)/2+1 = 3
    (9, 9, 3, 5, 1, 1, 9, 7),  // (9+2-3)+1 = 9, (9+2-5)+1 = 7
    (1, 1, 3, 3, 2, 1, 1, 1),  // (1+2-3)/2+1 = 1
    (8, 6, 1, 1, 3, 0, 3, 2),  // 7/3+1 = 3, 5/3+1 = 2
  ])
  func outputSizeMatchesTheHandComputedValue(
    h: Int, w: Int, kh: Int, kw: Int, stride: Int, pad: Int, outH: Int, outW: Int
  ) throws {
    let p = try make(height: h, width: w, kernelH: kh, kernelW: kw, stride: stride, pad: pad)
    #expect(p.outHeight == outH)
    #expect(p.outWidth == outW)
  }

  @Test func samePaddingIsHalfTheKernelRoundedDown() {
    #expect([1, 3, 5, 7].map { ConvProblem.samePad(kernel: $0) } == [0, 1, 2, 3])
  }

  @Test(arguments: [1, 3, 5, 7])
  func samePaddingKeepsTheSizeAtStrideOneAndHalvesItRoundingUpAtStrideTwo(kernel: Int) throws {
    for size in [kernel, 8, 13, 56] {
      let pad = ConvProblem.samePad(kernel: kernel)
      let one = try make(height: size, width: size, kernelH: kernel, kernelW: kernel, pad: pad)
      #expect(one.outHeight == size && one.outWidth == size)
      let two = try make(
        height: size, width: size, kernelH: kernel, kernelW: kernel, stride: 2, pad: pad)
      #expect(two.outHeight == (size + 1) / 2, "size \(size), kernel \(kernel)")
    }
  }

  @Test func countsFollowTheShape() throws {
    let p = try make(
      batch: 2, inChannels: 4, height: 5, width: 6, outChannels: 8, stride: 2, groups: 2)
    #expect(p.inputCount == 2 * 4 * 5 * 6)
    #expect(p.outputCount == 2 * 8 * 3 * 3)  // (5+2-3)/2+1 = 3, (6+2-3)/2+1 = 3
    #expect(p.weightCount == 8 * 2 * 3 * 3)
  }

  @Test func depthwiseAndPointwisePartsOfABlockShape() throws {
    let block = try make(inChannels: 32, height: 112, width: 112, outChannels: 64, stride: 2)
    #expect(block.depthwisePart.isDepthwise)
    #expect(block.depthwisePart.descriptor == "n1c32h112w112o32k3s2p1g32")
    #expect(block.pointwisePart.isPointwise)
    #expect(block.pointwisePart.descriptor == "n1c32h56w56o64k1s1p0")
    #expect(block.part(for: .conv) == block)
    #expect(block.part(for: .sepBlock) == block)
    #expect(block.depthwisePart.part(for: .conv).groups == 1)
  }

  @Test func countsBeyondSixtyFourBitsAreRejected() throws {
    // 1e5 * 1e5 * 1e5 * 1e5 * 9 * 8 overflows Int64 though every field is in range.
    #expect(throws: ProblemError.countOverflow(descriptor: "n1c100000h100000w100000o100000k3s1p1"))
    {
      try ConvProblem(descriptor: "c100000h100000o100000")
    }
    #expect(throws: Never.self) { try ConvProblem(descriptor: "c1024h1024o1024") }
  }
}
