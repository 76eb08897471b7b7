/// A compact one-line problem descriptor in the spirit of oneDNN's benchdnn:
/// `n1c128h56w56o128k3s1p1` (and `g<groups>` when groups != 1, `k<KH>x<KW>` for a
/// non-square kernel).
///
/// Fields may come in any order. `c` and `h` are required (a lone `w` stands in for `h`);
/// the rest default to n = 1, w = h, o = c, k = 3, s = 1, p = "same" ((min(KH, KW) - 1) / 2),
/// g = 1. `p` also takes the word `same`. Printing gives the canonical form with every field, so
/// `parse(print(p)) == p` for every valid problem.
extension ConvProblem {
  /// The canonical descriptor, e.g. `n1c128h56w56o128k3s1p1`.
  public var descriptor: String {
    let kernel = kernelH == kernelW ? "\(kernelH)" : "\(kernelH)x\(kernelW)"
    let groupPart = groups == 1 ? "" : "g\(groups)"
    return
      "n\(batch)c\(inChannels)h\(height)w\(width)o\(outChannels)k\(kernel)s\(stride)p\(pad)\(groupPart)"
  }

  /// Parses a descriptor.
  /// - Throws: `ProblemError.malformedDescriptor` quoting the text that could not be read, or
  ///   `ProblemError.invalidField` when the fields parse but do not form a valid problem.
  public init(descriptor text: String) throws {
    var fields: [Character: Int] = [:]
    var kernelW: Int?
    var samePad = false
    var rest = Substring(text.lowercased())
    guard !rest.isEmpty else { throw ProblemError.malformedDescriptor(text, rest: "") }
    while let letter = rest.first {
      guard "nchwoksgp".contains(letter) else {
        throw ProblemError.malformedDescriptor(text, rest: String(rest))
      }
      guard fields[letter] == nil && !(letter == "p" && samePad) else {
        throw ProblemError.malformedDescriptor(text, rest: String(rest))
      }
      let afterLetter = rest.dropFirst()
      if letter == "p" && afterLetter.hasPrefix("same") {
        samePad = true
        rest = afterLetter.dropFirst(4)
        continue
      }
      let digits = afterLetter.prefix(while: \.isASCIIDigit)
      guard !digits.isEmpty, digits.count <= 9, let value = Int(digits) else {
        throw ProblemError.malformedDescriptor(text, rest: String(rest))
      }
      fields[letter] = value
      rest = afterLetter.dropFirst(digits.count)
      if letter == "k" && rest.first == "x" {
        let widthDigits = rest.dropFirst().prefix(while: \.isASCIIDigit)
        guard !widthDigits.isEmpty, widthDigits.count <= 9, let value = Int(widthDigits) else {
          throw ProblemError.malformedDescriptor(text, rest: String(rest))
        }
        kernelW = value
        rest = rest.dropFirst(1 + widthDigits.count)
      }
    }
    guard let channels = fields["c"] else {
      throw ProblemError.malformedDescriptor(text, rest: "(missing c<channels>)")
    }
    guard let height = fields["h"] ?? fields["w"] else {
      throw ProblemError.malformedDescriptor(text, rest: "(missing h<height>)")
    }
    let kernelH = fields["k"] ?? 3
    let kw = kernelW ?? kernelH
    let pad = fields["p"] ?? ConvProblem.samePad(kernel: min(kernelH, kw))
    try self.init(
      batch: fields["n"] ?? 1, inChannels: channels, height: height, width: fields["w"] ?? height,
      outChannels: fields["o"] ?? channels, kernelH: kernelH, kernelW: kw,
      stride: fields["s"] ?? 1, pad: pad, groups: fields["g"] ?? 1)
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
