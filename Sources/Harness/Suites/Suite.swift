import ConvKernels

/// A named block shape to measure: every operator runs its part of it (see
/// `ConvProblem.part(for:)`).
public struct SuiteCase: Hashable, Sendable {
  /// Short name, the `case` CSV column (e.g. `mbv1.b03`).
  public let name: String
  /// The standard-convolution block shape.
  public let problem: ConvProblem

  public init(name: String, problem: ConvProblem) {
    self.name = name
    self.problem = problem
  }
}

/// A set of shapes measured together.
public struct Suite: Sendable {
  /// The `suite` CSV column.
  public let name: String
  public let summary: String
  public let cases: [SuiteCase]
  /// Families left out unless `--variants` names them (the naive 3x3 convolutions of the
  /// full MobileNet take about 20 s per iteration).
  public let excludedByDefault: Set<String>

  public init(
    name: String, summary: String, cases: [SuiteCase], excludedByDefault: Set<String> = []
  ) {
    self.name = name
    self.summary = summary
    self.cases = cases
    self.excludedByDefault = excludedByDefault
  }

  /// A few small shapes (odd sizes, stride 2, channel tails) that run in seconds.
  public static let quick = Suite(
    name: "quick", summary: "4 small shapes (odd sizes, stride 2, channel tails); seconds",
    cases: [
      SuiteCase(name: "q.c16h14s1", problem: try! ConvProblem(descriptor: "c16h14o32k3s1p1")),
      SuiteCase(name: "q.c32h15s2", problem: try! ConvProblem(descriptor: "c32h15o32k3s2p1")),
      SuiteCase(name: "q.c24h9w11", problem: try! ConvProblem(descriptor: "c24h9w11o40k3s1p1")),
      SuiteCase(name: "q.c64h7s1", problem: try! ConvProblem(descriptor: "c64h7o64k3s1p1")),
    ])

  /// The 13 separable blocks of MobileNetV1 1.0/224 and the standard twin of each.
  public static let mobileNetV1 = Suite(
    name: "mobilenet-v1",
    summary:
      "the 13 separable blocks of MobileNetV1 1.0/224 and their standard 3x3 twins (naive variants only with --variants naive)",
    cases: MobileNetV1.blockShapes, excludedByDefault: ["naive"])

  /// Every built-in suite.
  public static let builtIn: [Suite] = [quick, mobileNetV1]

  /// The built-in suite called `name`.
  public static func named(_ name: String) -> Suite? { builtIn.first { $0.name == name } }

  /// A suite of ad-hoc shapes from descriptors (`--shape`), named by their descriptors.
  public static func adHoc(_ problems: [ConvProblem]) -> Suite {
    Suite(
      name: "shapes", summary: "ad-hoc shapes",
      cases: problems.map { SuiteCase(name: $0.descriptor, problem: $0) })
  }
}

extension Suite {
  /// Shard `index` (1...count) of `count`: the cases at positions index - 1, index - 1 + count,
  /// … of the suite. Every machine splits a suite the same way, the shards are disjoint, and
  /// together they hold every case once, in suite order within each shard.
  public func shard(_ index: Int, of count: Int) -> Suite {
    precondition((1...count).contains(index), "shard \(index) of \(count)")
    return Suite(
      name: name, summary: summary,
      cases: cases.enumerated().filter { $0.offset % count == index - 1 }.map(\.element),
      excludedByDefault: excludedByDefault)
  }
}
