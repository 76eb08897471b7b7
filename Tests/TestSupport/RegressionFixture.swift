import Foundation

/// The committed fixture of `sepbench compare`: `Tests/Fixtures/regression/{base,head,head-no-failure}`,
/// eight `block-NNN` result folders each, made from a real run by `make_fixture.py` (which
/// says what HEAD does to each case), and scratch copies of it that a test may edit. Tests
/// never write into the fixture itself.
public enum RegressionFixture {
  /// `Tests/Fixtures/regression`.
  public static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent("regression")

  /// The suite case every fixture row belongs to.
  public static let caseName = "n1c16h14w14o32k3s1p1"

  /// The path of `name` inside the fixture: `base`, `head/block-001`, `expected-compare.csv` ...
  public static func path(_ name: String) -> String { root.appendingPathComponent(name).path }

  /// A new, not yet existing folder under the temporary directory.
  public static func scratchFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-regression-\(UUID().uuidString)")
  }

  /// Copies fixture folder `name` to `scratch/<last component of name>` (making `scratch`)
  /// and returns the copy.
  public static func copy(_ name: String, into scratch: URL) throws -> URL {
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let copy = scratch.appendingPathComponent(URL(fileURLWithPath: name).lastPathComponent)
    try FileManager.default.copyItem(at: root.appendingPathComponent(name), to: copy)
    return copy
  }

  /// An edit whose text was not in the file, so it would have changed nothing.
  public struct EditMissed: Error, CustomStringConvertible {
    public let file: String
    public let text: String
    public var description: String { "'\(text)' is not in \(file)" }
  }

  /// Replaces every `old` in the file at `url` with `new`; throws `EditMissed` when the file
  /// does not hold `old`.
  public static func edit(_ url: URL, replacing old: String, with new: String) throws {
    let text = try String(contentsOf: url, encoding: .utf8)
    guard text.contains(old) else { throw EditMissed(file: url.path, text: old) }
    try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: url)
  }

  /// Applies `edit` to `file` of every `block-*` folder of `side` (a copied side).
  public static func editBlocks(
    of side: URL, file: String, replacing old: String, with new: String
  ) throws {
    let blocks = try FileManager.default.contentsOfDirectory(atPath: side.path)
      .filter { $0.hasPrefix("block-") }.sorted()
    for block in blocks {
      try edit(
        side.appendingPathComponent(block).appendingPathComponent(file), replacing: old, with: new)
    }
  }
}
