import ArgumentParser
import ConvKernels
import KernelCatalog

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
    name: .customLong("isa"),
    help: ArgumentHelp(
      "Instruction-set levels, comma-separated: generic, avx2, avx512 (default: all; those this CPU lacks are skipped with the reason).",
      valueName: "levels"),
    transform: { try CommaList.parse($0, as: ISA.self, what: "ISA") })
  var isas: [ISA]?

  @Option(
    help: "Seed of the random data, parameters and problems (0 to 18446744073709551615).",
    transform: { try CommaList.seed($0) })
  var seed: UInt64 = 7

  /// Checks that the selection names at least one variant of the chosen operators in the
  /// chosen layouts and thread counts; `excluded` are the families a suite leaves out unless
  /// `--variants` names them.
  /// - Throws: `UsageError` saying which families exist for the chosen operators.
  func checkSelectsAVariant(threads: [Int], excluded: Set<String> = []) throws {
    let named = ops.map { op in
      (
        op,
        VariantRegistry.families(for: op).filter { family in
          (variants.map { $0.contains(family.family) } ?? !excluded.contains(family.family))
            && isas.map { $0.contains(family.isa) } ?? true
        }
      )
    }
    let selected = named.flatMap { op, families in
      VariantRegistry.variants(of: families, layouts: layouts, threads: threads)
    }
    guard selected.isEmpty else { return }
    let opList = ops.map(\.rawValue).joined(separator: ",")
    let familyList =
      (variants?.joined(separator: ",") ?? "(default)")
      + (isas.map { " --isa " + $0.map(\.rawValue).joined(separator: ",") } ?? "")
    if named.allSatisfy({ $0.1.isEmpty }) {
      let offered = ops.map { op in
        let names = VariantRegistry.families(for: op).map { $0.family }
        return "\(op.rawValue): \(names.joined(separator: ", "))"
      }
      throw UsageError(
        "--variants \(familyList) selects no variant of --ops \(opList); families by operator: \(offered.joined(separator: "; "))"
      )
    }
    let offered = named.flatMap { op, families in
      families.map { family in
        let familyLayouts = family.layouts.sorted().map(\.rawValue).joined(separator: "/")
        let threadText = family.isThreaded ? "any thread count" : "1 thread only"
        return "\(op.rawValue).\(family.family) runs \(familyLayouts), \(threadText)"
      }
    }
    throw UsageError(
      "--ops \(opList) --variants \(familyList) selects no variant in layouts \(layouts.map(\.rawValue).joined(separator: ",")) with threads \(threads.map(String.init).joined(separator: ",")); \(offered.joined(separator: "; "))"
    )
  }
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
    guard !values.isEmpty else { throw UsageError("no \(what) given in '\(EchoedText(text))'") }
    return try values.map { item in
      guard let value = T(rawValue: item) else {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        throw UsageError("unknown \(what) '\(EchoedText(item))'; allowed: \(allowed)")
      }
      return value
    }
  }

  static func families(_ text: String) throws -> [String] {
    let names = items(text)
    let known = VariantRegistry.familyNames
    guard !names.isEmpty else {
      throw UsageError("no variant family given in '\(EchoedText(text))'")
    }
    for name in names where !known.contains(name) {
      throw UsageError(
        "unknown variant family '\(EchoedText(name))'; allowed: \(known.joined(separator: ", "))")
    }
    return names
  }

  static func seed(_ text: String) throws -> UInt64 {
    guard let seed = UInt64(text) else {
      throw UsageError(
        "seed '\(EchoedText(text))' is not allowed; use a whole number from 0 to \(UInt64.max)")
    }
    return seed
  }

  static func threads(_ text: String) throws -> [Int] {
    let values = items(text)
    guard !values.isEmpty else {
      throw UsageError("no thread count given in '\(EchoedText(text))'")
    }
    return try values.map { item in
      guard let count = Int(item), (1...256).contains(count) else {
        throw UsageError(
          "thread count '\(EchoedText(item))' is not allowed; use whole numbers from 1 to 256")
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
