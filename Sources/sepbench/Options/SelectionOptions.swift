import ArgumentParser
import ConvKernels

/// Which operators, families, layouts and thread counts to run; shared by `run` and
/// `validate`.
struct SelectionOptions: ParsableArguments {
  @Option(
    name: .customLong("shape"),
    help: ArgumentHelp(
      "An ad-hoc block shape, e.g. n1c128h56w56o128k3s1p1 (repeatable).",
      discussion:
        "Fields in any order: n batch, c in-channels, h, w, o out-channels, k kernel (k3 or k3x5), s stride, p pad (or psame), g groups.",
      valueName: "descriptor"),
    transform: { try ConvProblem(descriptor: $0) })
  var shapes: [ConvProblem] = []

  @Option(
    help: ArgumentHelp(
      "Operators, comma-separated: conv, dw, pw, sep_block, conv_block (default: all).",
      valueName: "ops"),
    transform: { try CommaList.parse($0, as: Op.self, what: "operator") })
  var ops: [Op] = Op.allCases

  @Option(
    help: ArgumentHelp(
      "Variant families, comma-separated (see `sepbench list variants`); default all.",
      valueName: "families"),
    transform: { try CommaList.families($0) })
  var variants: [String]?

  @Option(
    help: ArgumentHelp(
      "Layouts, comma-separated: nchw, nhwc (default: both).", valueName: "layouts"),
    transform: { try CommaList.parse($0, as: Layout.self, what: "layout") })
  var layouts: [Layout] = Layout.allCases

  @Option(
    help: ArgumentHelp(
      "Thread counts, comma-separated, each 1 to 256 (default: 1; validate: 1,2).",
      valueName: "counts"),
    transform: { try CommaList.threads($0) })
  var threads: [Int]?

  @Option(
    help: "Seed of the random data, parameters and problems (0 to 18446744073709551615).",
    transform: { try CommaList.seed($0) })
  var seed: UInt64 = 7
}

/// Parsing of comma-separated option values, with one-line errors naming the bad value.
enum CommaList {
  static func items(_ text: String) -> [String] {
    text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
  }

  static func parse<T: RawRepresentable & CaseIterable>(_ text: String, as: T.Type, what: String)
    throws -> [T] where T.RawValue == String
  {
    let values = items(text)
    guard !values.isEmpty else { throw UsageError("no \(what) given in '\(text)'") }
    return try values.map { item in
      guard let value = T(rawValue: item) else {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        throw UsageError("unknown \(what) '\(item)'; allowed: \(allowed)")
      }
      return value
    }
  }

  static func families(_ text: String) throws -> [String] {
    let names = items(text)
    let known = VariantRegistry.familyNames
    guard !names.isEmpty else { throw UsageError("no variant family given in '\(text)'") }
    for name in names where !known.contains(name) {
      throw UsageError(
        "unknown variant family '\(name)'; allowed: \(known.joined(separator: ", "))")
    }
    return names
  }

  static func seed(_ text: String) throws -> UInt64 {
    guard let seed = UInt64(text) else {
      throw UsageError("seed '\(text)' is not allowed; use a whole number from 0 to \(UInt64.max)")
    }
    return seed
  }

  static func threads(_ text: String) throws -> [Int] {
    let values = items(text)
    guard !values.isEmpty else { throw UsageError("no thread count given in '\(text)'") }
    return try values.map { item in
      guard let count = Int(item), (1...256).contains(count) else {
        throw UsageError("thread count '\(item)' is not allowed; use whole numbers from 1 to 256")
      }
      return count
    }
  }
}

extension String {
  fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
    String(drop(while: set.contains).reversed().drop(while: set.contains).reversed())
  }
}

extension Set where Element == Character {
  fileprivate static let whitespaces: Set<Character> = [" ", "\t"]
}
