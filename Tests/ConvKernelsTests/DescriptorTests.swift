import ConvKernels
import Testing

@Suite struct DescriptorTests {
  /// The text from where parsing failed, or nil when `text` parses or fails otherwise.
  func failurePoint(_ text: String) -> String? {
    do {
      _ = try ConvProblem(descriptor: text)
      return nil
    } catch let ProblemError.malformedDescriptor(quoted, rest) {
      return quoted == text ? rest : "quoted '\(quoted)' instead of '\(text)'"
    } catch {
      return nil
    }
  }

  @Test func randomValidationProblemsSurviveARoundTrip() throws {
    let problems =
      ValidationProblems.blockShapes(count: 300, seed: 11) + ValidationProblems.fixedShapes
    for p in problems {
      #expect(try ConvProblem(descriptor: p.descriptor) == p, "\(p.descriptor)")
      #expect(try ConvProblem(descriptor: p.depthwisePart.descriptor) == p.depthwisePart)
      #expect(try ConvProblem(descriptor: p.pointwisePart.descriptor) == p.pointwisePart)
    }
  }

  @Test func handWrittenProblemsPrintCanonically() throws {
    let cases: [(ConvProblem, String)] = [
      (
        try ConvProblem.standard(
          inChannels: 128, outChannels: 128, h: 56, w: 56, kernel: 3, pad: 1),
        "n1c128h56w56o128k3s1p1"
      ),
      (
        try ConvProblem.depthwise(batch: 2, channels: 8, h: 7, w: 9, kernel: 5, stride: 2, pad: 2),
        "n2c8h7w9o8k5s2p2g8"
      ),
      (
        try ConvProblem(
          inChannels: 3, height: 9, width: 9, outChannels: 4, kernelH: 3, kernelW: 5, pad: 1),
        "n1c3h9w9o4k3x5s1p1"
      ),
      (try ConvProblem.pointwise(inChannels: 3, outChannels: 5, h: 1, w: 2), "n1c3h1w2o5k1s1p0"),
    ]
    for (problem, text) in cases {
      #expect(problem.descriptor == text)
      #expect(try ConvProblem(descriptor: text) == problem)
    }
  }

  @Test func fieldsMayComeInAnyOrder() throws {
    let canonical = try ConvProblem(descriptor: "n1c32h56w56o64k3s2p1")
    for text in ["o64c32k3h56w56s2p1n1", "p1s2k3o64w56h56c32n1", "h56c32o64s2"] {
      #expect(try ConvProblem(descriptor: text) == canonical, "\(text)")
    }
  }

  @Test func missingFieldsTakeTheirDefaults() throws {
    // n = 1, w = h, o = c, k = 3, s = 1, p = same = 1, g = 1.
    let p = try ConvProblem(descriptor: "c8h5")
    #expect(p.descriptor == "n1c8h5w5o8k3s1p1")
    #expect(try ConvProblem(descriptor: "c8h5k1").pad == 0)
    #expect(try ConvProblem(descriptor: "c8h9k7").pad == 3)
    // h defaults to w as well as w to h.
    #expect(try ConvProblem(descriptor: "c8w5") == p)
  }

  @Test func psameIsHalfTheKernel() throws {
    #expect(try ConvProblem(descriptor: "c8h9k5psame").pad == 2)
    #expect(try ConvProblem(descriptor: "psamec8h9k1").pad == 0)
    // Non-square: half of the smaller side, so the pad stays below both.
    #expect(try ConvProblem(descriptor: "c8h9k3x5psame").pad == 1)
  }

  @Test func nonSquareKernelsUseKxSyntax() throws {
    let p = try ConvProblem(descriptor: "c4h9k3x5p1")
    #expect(p.kernelH == 3 && p.kernelW == 5)
    #expect(p.descriptor == "n1c4h9w9o4k3x5s1p1")
    #expect(try ConvProblem(descriptor: "c4h9k5x5").descriptor == "n1c4h9w9o4k5s1p2")
  }

  @Test func groupsFieldMakesDepthwiseProblems() throws {
    let p = try ConvProblem(descriptor: "c16h7g16")
    #expect(p.isDepthwise)
    #expect(p.descriptor == "n1c16h7w7o16k3s1p1g16")
    #expect(try ConvProblem(descriptor: "c16h7g1").descriptor == "n1c16h7w7o16k3s1p1")
  }

  @Test func uppercaseLettersAreAccepted() throws {
    #expect(try ConvProblem(descriptor: "N1C8H5PSAME") == ConvProblem(descriptor: "c8h5"))
  }

  @Test(arguments: [
    ("c8h5z3", "z3"),  // unknown letter
    ("garbage", "garbage"),  // 'g' without digits
    ("c8h5 ", " "),  // trailing space
    ("c8h5c9", "c9"),  // duplicate field
    ("c8h5p1psame", "psame"),  // p twice
    ("c8h5psamep1", "p1"),
    ("c8h", "h"),  // letter without value
    ("c8h5k3x", "x"),  // kx without width
    ("c8h1234567890", "h1234567890"),  // more than 9 digits
    ("c-8h5", "c-8h5"),
    ("h5", "(missing c<channels>)"),
    ("c8", "(missing h<height>)"),
    ("c8s2", "(missing h<height>)"),
    ("", ""),
  ])
  func malformedDescriptorsQuoteTheOffendingText(text: String, rest: String) {
    #expect(failurePoint(text) == rest)
  }

  @Test func malformedDescriptorMessageQuotesTextAndPosition() {
    let error = ProblemError.malformedDescriptor("c8h5z3", rest: "z3")
    #expect(error.description.hasPrefix("cannot parse shape descriptor 'c8h5z3' at 'z3'"))
  }

  @Test func invalidValuesAreRejectedNamingTheField() {
    #expect(
      throws: ProblemError.invalidField(field: "stride", value: 0, allowed: "between 1 and 1048576")
    ) {
      try ConvProblem(descriptor: "c8h5s0")
    }
    #expect(
      throws: ProblemError.invalidField(field: "groups", value: 3, allowed: "a divisor of c_in = 8")
    ) {
      try ConvProblem(descriptor: "c8h5g3")
    }
    #expect(
      throws: ProblemError.invalidField(
        field: "kh", value: 7, allowed: "at most the padded height h + 2*pad = 5")
    ) {
      try ConvProblem(descriptor: "c8h3k7p1")
    }
  }

  @Test func longDescriptorIsEchoedCutToTwoHundredCharacters() {
    let text = "c8h5" + String(repeating: "z", count: 100_000)
    #expect(throws: ProblemError.malformedDescriptor(text, rest: String(text.dropFirst(4)))) {
      try ConvProblem(descriptor: text)
    }
    let message = ProblemError.malformedDescriptor(text, rest: String(text.dropFirst(4)))
      .description
    #expect(message.count < 600, "\(message.count) characters")
    #expect(
      message.contains("'c8h5" + String(repeating: "z", count: 196) + "… (100004 characters)'"))
    #expect(message.contains("(100000 characters)"))
  }

  @Test func shortDescriptorIsEchoedWhole() {
    #expect(EchoedText(String(repeating: "a", count: 60)).description.count == 60)
    #expect(EchoedText("c8h5z").description == "c8h5z")
  }
}
