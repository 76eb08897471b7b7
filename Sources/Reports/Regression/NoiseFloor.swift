import Foundation

/// Per-case noise measured by `sepbench calibrate`: the same build against itself in paired
/// blocks. `noise` is the half-width of the A/A interval of HEAD/BASE, as a fraction (0.03 =
/// the A/A interval reached ±3 %). Stored as `noise.csv` beside a baseline's results.
public struct NoiseFloor: Sendable, Equatable {
  public static let fileName = "noise.csv"
  public static let header = [
    "schema", "suite", "case", "op", "variant", "layout", "threads", "isa", "blocks", "noise",
  ]

  public var noise: [CaseKey: Double]
  public var blocks: Int

  /// The A/A noise of `key`, matched without the ISA when either side lacks it (a noise.csv
  /// or a run from before the `isa` column).
  public func noise(for key: CaseKey) -> Double? {
    if let exact = noise[key] { return exact }
    let bare = key.withoutISA
    return noise[bare] ?? noise.first { $0.key.withoutISA == bare }?.value
  }

  public init(noise: [CaseKey: Double], blocks: Int) {
    self.noise = noise
    self.blocks = blocks
  }

  /// The noise of an A/A comparison: each case's interval half-width (the larger side).
  public init(calibration: RegressionReport) {
    var noise: [CaseKey: Double] = [:]
    var blocks = 0
    for row in calibration.rows {
      guard let estimate = row.estimate else { continue }
      noise[row.key] = max(estimate.high / estimate.ratio - 1, 1 - estimate.low / estimate.ratio)
      blocks = max(blocks, estimate.blocks)
    }
    self.init(noise: noise, blocks: blocks)
  }

  public var csv: String {
    var writer = CSVWriter(header: Self.header)
    for (key, value) in noise.sorted(by: { $0.key < $1.key }) {
      writer.append([
        String(ResultsColumn.schemaVersion), key.suite, key.caseName, key.op, key.variant,
        key.layout, String(key.threads), key.isa, String(blocks),
        DecimalText.text(value, digits: 5),
      ])
    }
    return writer.text
  }

  /// Reads `noise.csv` from `folder`, or nil when there is none.
  public static func read(folder: String) throws -> NoiseFloor? {
    let url = URL(fileURLWithPath: folder).appendingPathComponent(fileName)
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    return try read(file: url)
  }

  /// Reads a noise file written by `calibrate`.
  public static func read(file url: URL) throws -> NoiseFloor {
    let table = try CSVTable(contentsOf: url)
    let file = url.path
    let columns = try header.map { try table.column($0, file: file) }
    var noise: [CaseKey: Double] = [:]
    var blocks = 0
    for (index, row) in table.rows.enumerated() {
      guard let threads = Int(row[columns[6]]) else {
        throw CSVError.badNumber(column: "threads", value: row[columns[6]], line: index + 2)
      }
      guard let value = Double(row[columns[9]]), value.isFinite, value >= 0, value <= 10 else {
        throw CSVError.badNumber(column: "noise", value: row[columns[9]], line: index + 2)
      }
      let key = CaseKey(
        suite: row[columns[1]], caseName: row[columns[2]], op: row[columns[3]],
        variant: row[columns[4]], layout: row[columns[5]], threads: threads, isa: row[columns[7]])
      noise[key] = value
      blocks = max(blocks, Int(row[columns[8]]) ?? 0)
    }
    return NoiseFloor(noise: noise, blocks: blocks)
  }
}
