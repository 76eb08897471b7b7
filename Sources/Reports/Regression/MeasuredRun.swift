import Foundation
import Harness

/// One side of a regression comparison: the samples of one or more blocks (process runs of
/// one build), read from a result folder or from a folder of block folders (`block-01/` ...,
/// as `sepbench ab` and `sepbench calibrate` write them).
public struct MeasuredRun: Sendable {
  /// One process run: its folder, metadata and samples per case.
  public struct Block: Sendable {
    public var path: String
    public var metadata: RunMetadata
    /// Per-iteration times (ns) of each case, in sample order; with the instructions metric,
    /// the one count of each case.
    public var samples: [CaseKey: [Double]]
    /// What the values are: `time`, or `instructions:<source>` (`instructions:callgrind`).
    public var metric: String
    /// `status` of each case in `results.csv` (ok, failed, skipped ...).
    public var status: [CaseKey: String]
    /// Shape descriptor of each suite case, from `meta.json`'s plan.
    public var shapes: [String: String]
  }

  public var path: String
  public var blocks: [Block]

  /// True when `path` held block folders rather than being a result folder itself.
  public var isBlocked: Bool

  /// True when `base` and `head` are the `base/` and `head/` block folders of one A/B
  /// session (siblings beside its `ab.json`): only their blocks were run alternately, pair by
  /// pair, so only they may be paired.
  public static func wereRunAlternately(_ base: MeasuredRun, _ head: MeasuredRun) -> Bool {
    guard base.isBlocked, head.isBlocked else { return false }
    let baseURL = URL(fileURLWithPath: base.path).standardizedFileURL
    let headURL = URL(fileURLWithPath: head.path).standardizedFileURL
    let parent = baseURL.deletingLastPathComponent()
    return parent == headURL.deletingLastPathComponent() && baseURL != headURL
      && FileManager.default.fileExists(atPath: parent.appendingPathComponent("ab.json").path)
  }

  /// The metadata of the first block.
  public var metadata: RunMetadata { blocks[0].metadata }

  /// The median over blocks of the share of CPU time the hypervisor stole during each block
  /// (`RunMetadata.stealPercent`); nil when no block recorded one (older folders, not Linux).
  public var medianStealPercent: Double? {
    let shares = blocks.compactMap(\.metadata.stealPercent)
    return shares.isEmpty ? nil : RatioEstimator.median(shares)
  }

  /// The metric of every block (`time`, `instructions:callgrind` …), or nil when blocks of
  /// this side measured different things.
  public var metric: String? {
    let found = Set(blocks.map(\.metric))
    return found.count == 1 ? found.first : nil
  }

  /// True when the folders name each case's ISA (the `isa` column of schema 2).
  public var namesISA: Bool {
    blocks.contains { block in block.samples.keys.contains { !$0.isa.isEmpty } }
  }

  /// This run with the ISA taken out of every case key, to match a run written before the
  /// `isa` column (family names are unique per operator, so the key stays unique).
  public func withoutISA() -> MeasuredRun { mappingKeys(\.withoutISA) }

  /// This run with every case key of every block replaced by `transform(key)`; when two keys
  /// map to one, the first is kept.
  public func mappingKeys(_ transform: (CaseKey) -> CaseKey) -> MeasuredRun {
    var copy = self
    copy.blocks = blocks.map { block in
      var b = block
      b.samples = Dictionary(block.samples.map { (transform($0.key), $0.value) }) { a, _ in a }
      b.status = Dictionary(block.status.map { (transform($0.key), $0.value) }) { a, _ in a }
      return b
    }
    return copy
  }

  /// This run reduced to the fastest variant of each operator, case and thread count (lowest
  /// median of its samples over all blocks), keyed as variant `best`, layout `any`, no ISA, so
  /// that two tools' runs (sepbench and a peer) can be compared operator by operator. Also
  /// returns each new key's original variant id.
  public func bestPerOperator() -> (run: MeasuredRun, chosen: [CaseKey: String]) {
    func reduced(_ key: CaseKey) -> CaseKey {
      CaseKey(
        suite: key.suite, caseName: key.caseName, op: key.op, variant: "best", layout: "any",
        threads: key.threads, isa: "")
    }
    var best: [CaseKey: (key: CaseKey, median: Double)] = [:]
    for key in cases.sorted() {
      let values = blocks.flatMap { $0.samples[key] ?? [] }
      guard !values.isEmpty else { continue }
      let m = SampleStatistics(values).median
      let target = reduced(key)
      if best[target].map({ m < $0.median }) ?? true { best[target] = (key, m) }
    }
    var copy = self
    copy.blocks = blocks.map { block in
      var b = block
      b.samples = [:]
      b.status = [:]
      for (target, choice) in best {
        if let values = block.samples[choice.key] { b.samples[target] = values }
        if let status = block.status[choice.key] { b.status[target] = status }
      }
      return b
    }
    return (copy, best.mapValues { $0.key.variantID })
  }

  /// How `metric` names instruction counts: `instructions:<source>`.
  public static let instructionsPrefix = "instructions:"

  /// True when the values are instruction counts.
  public var countsInstructions: Bool { metric?.hasPrefix(Self.instructionsPrefix) ?? false }

  /// What counted the instructions (`callgrind`, `PAPI_TOT_INS`); nil for times.
  public var instructionSource: String? {
    guard let metric, countsInstructions else { return nil }
    return String(metric.dropFirst(Self.instructionsPrefix.count))
  }

  /// Every case of any block.
  public var cases: Set<CaseKey> {
    blocks.reduce(into: Set<CaseKey>()) { $0.formUnion($1.samples.keys) }
  }

  /// Reads `path`: a result folder, or a folder whose `block-*` subfolders are result folders
  /// (read in name order). `allowIncomplete` accepts unfinished runs.
  public static func read(_ path: String, allowIncomplete: Bool = false) throws -> MeasuredRun {
    let url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue
    else {
      throw RegressionInputError.notAResultFolder(path: path, reason: "no such folder")
    }
    if FileManager.default.fileExists(atPath: url.appendingPathComponent("meta.json").path) {
      return MeasuredRun(
        path: path, blocks: [try readBlock(url, allowIncomplete: allowIncomplete)],
        isBlocked: false)
    }
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
      .filter { name in
        var isBlock: ObjCBool = false
        return name.hasPrefix("block-")
          && FileManager.default.fileExists(
            atPath: url.appendingPathComponent(name).path, isDirectory: &isBlock)
          && isBlock.boolValue
      }.sorted()
    guard !names.isEmpty else {
      throw RegressionInputError.notAResultFolder(
        path: path, reason: "it has no meta.json and no block-* folders")
    }
    let blocks = try names.map {
      try readBlock(url.appendingPathComponent($0), allowIncomplete: allowIncomplete)
    }
    return MeasuredRun(path: path, blocks: blocks, isBlocked: true)
  }

  private static func readBlock(_ url: URL, allowIncomplete: Bool) throws -> Block {
    let path = url.path
    let folder = ResultFolder(url: url)
    for file in [ResultFolder.metaFile, ResultFolder.resultsFile, ResultFolder.samplesFile] {
      guard FileManager.default.fileExists(atPath: url.appendingPathComponent(file).path) else {
        throw RegressionInputError.notAResultFolder(path: path, reason: "\(file) is missing")
      }
    }
    let metadata: RunMetadata
    do {
      metadata = try folder.readMetadata()
    } catch {
      throw RegressionInputError.notAResultFolder(
        path: path, reason: "meta.json cannot be read (\(error))")
    }
    if metadata.schema > ResultsColumn.schemaVersion {
      throw RegressionInputError.futureSchema(
        path: path, found: metadata.schema, supported: ResultsColumn.schemaVersion)
    }
    if !metadata.completed && !allowIncomplete { throw RegressionInputError.unfinished(path: path) }
    let valueFile =
      metadata.plan.measuredMetric == .instructions
      ? ResultFolder.instructionsFile : ResultFolder.samplesFile
    let valueColumn = metadata.plan.measuredMetric == .instructions ? "instructions" : "time_ns"
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent(valueFile).path)
    else {
      throw RegressionInputError.notAResultFolder(path: path, reason: "\(valueFile) is missing")
    }
    let samples = try folder.readTable(valueFile)
    let file = url.appendingPathComponent(valueFile).path
    let value = try samples.column(valueColumn, file: file)
    let schema = try samples.column("schema", file: file)
    let source =
      metadata.plan.measuredMetric == .instructions
      ? try samples.column("source", file: file) : nil
    let keyOf = try KeyColumns(samples, file: file)
    var byCase: [CaseKey: [Double]] = [:]
    var sources: Set<String> = []
    for (index, row) in samples.rows.enumerated() {
      if let found = Int(row[schema]), found > ResultsColumn.schemaVersion {
        throw RegressionInputError.futureSchema(
          path: file, found: found, supported: ResultsColumn.schemaVersion)
      }
      guard let number = Double(row[value]), number.isFinite, number > 0 else {
        throw CSVError.badNumber(column: valueColumn, value: row[value], line: index + 2)
      }
      byCase[try keyOf.key(row, line: index + 2), default: []].append(number)
      if let source { sources.insert(row[source]) }
    }
    let metric: String
    switch metadata.plan.measuredMetric {
    case .time: metric = "time"
    case .instructions:
      guard sources.count <= 1 else {
        throw RegressionInputError.notAResultFolder(
          path: path,
          reason: "\(valueFile) mixes counts of \(sources.sorted().joined(separator: " and "))")
      }
      metric = MeasuredRun.instructionsPrefix + (sources.first ?? "")
    }
    guard !byCase.isEmpty else { throw RegressionInputError.noSamples(path: path) }
    let results = try folder.readTable(ResultFolder.resultsFile)
    let resultsFile = url.appendingPathComponent(ResultFolder.resultsFile).path
    let statusColumn = try results.column("status", file: resultsFile)
    let resultKey = try KeyColumns(results, file: resultsFile)
    var status: [CaseKey: String] = [:]
    for (index, row) in results.rows.enumerated() {
      status[try resultKey.key(row, line: index + 2)] = row[statusColumn]
    }
    return Block(
      path: path, metadata: metadata, samples: byCase, metric: metric, status: status,
      shapes: metadata.plan.shapesByCase)
  }

  /// The columns of a CSV that make a `CaseKey`.
  private struct KeyColumns {
    let suite, caseName, op, variant, layout, threads: Int
    let isa: Int?

    init(_ table: CSVTable, file: String) throws {
      suite = try table.column("suite", file: file)
      caseName = try table.column("case", file: file)
      op = try table.column("op", file: file)
      variant = try table.column("variant", file: file)
      layout = try table.column("layout", file: file)
      threads = try table.column("threads", file: file)
      isa = table.header.firstIndex(of: "isa")
    }

    func key(_ row: [String], line: Int) throws -> CaseKey {
      guard let count = Int(row[threads]), count >= 1 else {
        throw CSVError.badNumber(column: "threads", value: row[threads], line: line)
      }
      return CaseKey(
        suite: row[suite], caseName: row[caseName], op: row[op], variant: row[variant],
        layout: row[layout], threads: count, isa: isa.map { row[$0] } ?? "")
    }
  }
}
