import Foundation

/// Per-operator, per-case and per-variant overrides of the band T, read from a small file
/// (`--thresholds FILE`). One rule a line, `#` starts a comment:
///
///     default 5%
///     op dw 8%                      # every depthwise variant
///     case q.c16h14s1 10%           # every variant of one suite case
///     variant conv.naive.nchw 20%   # one variant id (op.family.layout[.isa][.tN])
///
/// The most specific rule wins: variant, then case, then op, then default.
public struct ThresholdRules: Sendable, Equatable {
  public var defaultThreshold: Double?
  public var byOp: [String: Double] = [:]
  public var byCase: [String: Double] = [:]
  public var byVariant: [String: Double] = [:]

  public init() {}

  /// The threshold the rules give `key`, or nil when no rule applies.
  public func threshold(for key: CaseKey) -> Double? {
    byVariant[key.variantID] ?? byCase[key.caseName] ?? byOp[key.op] ?? defaultThreshold
  }

  /// Parses the text of a thresholds file; `file` names it in errors.
  public init(parsing text: String, file: String) throws {
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    for (index, raw) in lines.enumerated() {
      let line =
        raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        .first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
      if line.isEmpty { continue }
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      let bad = RegressionInputError.badThreshold(file: file, line: index + 1, text: line)
      guard let last = words.last, let value = Self.fraction(last) else { throw bad }
      switch (words.first, words.count) {
      case ("default", 2): defaultThreshold = value
      case ("op", 3): byOp[words[1]] = value
      case ("case", 3): byCase[words[1]] = value
      case ("variant", 3): byVariant[words[1]] = value
      default: throw bad
      }
    }
  }

  /// Reads a thresholds file.
  public init(contentsOf path: String) throws {
    guard let data = FileManager.default.contents(atPath: path),
      let text = String(data: data, encoding: .utf8)
    else { throw FileError.unreadable(path: path, reason: "no such readable UTF-8 file") }
    try self.init(parsing: text, file: path)
  }

  /// `5%` or `0.05` as 0.05; nil unless it is in (0, 10] (a band of at most +1000 %).
  public static func fraction(_ text: String) -> Double? {
    let value: Double?
    if text.hasSuffix("%") {
      value = Double(text.dropLast()).map { $0 / 100 }
    } else {
      value = Double(text)
    }
    guard let value, value > 0, value <= 10 else { return nil }
    return value
  }
}
