import Foundation
import Harness

/// `sepbench merge`: result folders of shards, or of several machines, as one folder.
///
/// - Folders of one machine fingerprint (the shards of a plan) become one result: their rows
///   in the order given, the union of their cases in `meta.json`.
/// - Folders of several fingerprints are kept apart by a `machine` column (the fingerprint
///   id) added at the end of `results.csv`, `samples.csv`, `comparison.csv` and `isa.csv`;
///   `meta.json` lists each machine with its ceilings under `machines`.
/// - `isa.csv` is rebuilt from the merged results of each machine (written where a case has
///   variants of both AVX2 and AVX-512, whichever folders they came from).
/// - Two folders that claim the same case (suite, case, operator, variant, layout, threads,
///   ISA) on the same machine are refused: one of them would be silently lost.
/// - Columns are the union of the folders' headers in order of first appearance; cells a
///   folder lacks stay empty.
public enum ResultMerge {
  /// One machine of a merged folder.
  public struct Machine: Codable, Sendable, Equatable {
    /// `MachineFingerprint.id`, the `machine` column.
    public var id: String
    public var machine: MachineInfo
    public var fingerprint: MachineFingerprint?
    public var ceilings: MachineCeilings?
    /// The folders merged from this machine.
    public var folders: [String]
  }

  /// What a merge wrote.
  public struct Summary: Sendable {
    public var machines: [Machine]
    public var rows: Int
  }

  /// Merges the folders at `paths` into `out` (created; one that holds results is refused
  /// unless `replacing`).
  public static func merge(
    _ paths: [String], into out: String, replacing: Bool = false, commandLine: [String]
  ) throws -> Summary {
    guard paths.count >= 2 else { throw MergeError.tooFew(count: paths.count) }
    var inputs:
      [(
        path: String, meta: RunMetadata, results: CSVTable, samples: CSVTable, comparison: CSVTable?
      )] = []
    for path in paths {
      let url = URL(fileURLWithPath: path)
      for file in [ResultFolder.metaFile, ResultFolder.resultsFile, ResultFolder.samplesFile] {
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(file).path) else {
          throw RegressionInputError.notAResultFolder(path: path, reason: "\(file) is missing")
        }
      }
      let folder = ResultFolder(url: url)
      let meta = try folder.readMetadata()
      if meta.schema > ResultsColumn.schemaVersion {
        throw RegressionInputError.futureSchema(
          path: path, found: meta.schema, supported: ResultsColumn.schemaVersion)
      }
      let comparisonURL = url.appendingPathComponent(ResultFolder.comparisonFile)
      inputs.append(
        (
          path, meta, try folder.readTable(ResultFolder.resultsFile),
          try folder.readTable(ResultFolder.samplesFile),
          FileManager.default.fileExists(atPath: comparisonURL.path)
            ? try folder.readTable(ResultFolder.comparisonFile) : nil
        ))
    }
    let metrics = Set(inputs.map { $0.meta.plan.measuredMetric })
    guard metrics.count == 1 else { throw MergeError.mixedMetrics(paths: paths) }

    // Machines in order of first appearance.
    func machineID(_ meta: RunMetadata) -> String { meta.fingerprint?.id ?? "unknown" }
    var machines: [Machine] = []
    for input in inputs {
      let id = machineID(input.meta)
      if let index = machines.firstIndex(where: { $0.id == id }) {
        machines[index].folders.append(input.path)
      } else {
        machines.append(
          Machine(
            id: id, machine: input.meta.machine, fingerprint: input.meta.fingerprint,
            ceilings: input.meta.ceilings, folders: [input.path]))
      }
    }
    let tagMachines = machines.count > 1

    // No case twice on one machine.
    var owner: [String: Int] = [:]
    for (position, input) in inputs.enumerated() {
      let file = URL(fileURLWithPath: input.path).appendingPathComponent(ResultFolder.resultsFile)
        .path
      let columns = try ["suite", "case", "op", "variant", "layout", "threads"].map {
        try input.results.column($0, file: file)
      }
      let isa = input.results.header.firstIndex(of: "isa")
      for row in input.results.rows {
        let key =
          ([machineID(input.meta)] + columns.map { row[$0] } + [isa.map { row[$0] } ?? ""])
          .joined(separator: "\u{0}")
        if let first = owner[key], first != position {
          throw MergeError.duplicate(
            caseName: row[columns[1]],
            variant: "\(row[columns[2]]).\(row[columns[3]]).\(row[columns[4]])"
              + (row[columns[5]] == "1" ? "" : ".t\(row[columns[5]])"),
            first: inputs[first].path, second: input.path)
        }
        owner[key] = position
      }
    }

    func union(_ headers: [[String]]) -> CSVWriter {
      var header: [String] = []
      for names in headers {
        for column in names where !header.contains(column) { header.append(column) }
      }
      if tagMachines { header.append("machine") }
      return CSVWriter(header: header)
    }
    func append(_ writer: inout CSVWriter, _ table: CSVTable, machine: String) {
      let index = Dictionary(uniqueKeysWithValues: table.header.enumerated().map { ($1, $0) })
      for row in table.rows {
        writer.append(
          writer.header.map { column in
            column == "machine" && tagMachines ? machine : index[column].map { row[$0] } ?? ""
          })
      }
    }
    var results = union(inputs.map(\.results.header))
    var samples = union(inputs.map(\.samples.header))
    let comparisons = inputs.compactMap(\.comparison)
    var comparison = union(
      comparisons.isEmpty ? [ComparisonRow.header] : comparisons.map(\.header))
    var recordsByMachine: [String: [[String: String]]] = [:]
    for input in inputs {
      let id = machineID(input.meta)
      append(&results, input.results, machine: id)
      append(&samples, input.samples, machine: id)
      if let table = input.comparison { append(&comparison, table, machine: id) }
      recordsByMachine[id, default: []] += input.results.records
    }
    // Rebuilt from the merged results, machine by machine: folders may split a case's
    // variants between them, so no one folder's isa.csv holds the best of each level.
    let isaRows = machines.flatMap { machine in
      ISAComparisonRow.rows(fromRecords: recordsByMachine[machine.id] ?? []).map {
        $0.cells + (tagMachines ? [machine.id] : [])
      }
    }

    var meta = inputs[0].meta
    meta.commandLine = commandLine
    meta.startTime = inputs.map(\.meta.startTime).min()!
    meta.endTime = inputs.compactMap(\.meta.endTime).max()
    meta.completed = inputs.allSatisfy(\.meta.completed)
    meta.plan.cases = suiteOrder(inputs.map(\.meta.plan))
    meta.plan.shard = nil
    meta.mergedFrom = paths
    if tagMachines { meta.machines = machines }

    let claimed = try RunFolder.claim(out, replacing: replacing)
    defer { claimed.release() }
    let folder = claimed.folder
    let metaURL = folder.url.appendingPathComponent(ResultFolder.metaFile)
    var unfinished = meta
    unfinished.completed = false
    try AtomicFile.write(try ResultFolder.json(unfinished, path: metaURL.path), to: metaURL)
    try AtomicFile.write(
      results.text, to: folder.url.appendingPathComponent(ResultFolder.resultsFile))
    try AtomicFile.write(
      samples.text, to: folder.url.appendingPathComponent(ResultFolder.samplesFile))
    try AtomicFile.write(
      comparison.text, to: folder.url.appendingPathComponent(ResultFolder.comparisonFile))
    try folder.writeISA(
      header: ISAComparisonRow.header + (tagMachines ? ["machine"] : []), rows: isaRows)
    if meta.completed {
      try AtomicFile.write(try ResultFolder.json(meta, path: metaURL.path), to: metaURL)
    }
    return Summary(machines: machines, rows: inputs.reduce(0) { $0 + $1.results.rows.count })
  }
}

extension ResultMerge {
  /// The cases of `plans` without repeats: in suite order when they are shards I/N of one N
  /// (case k of shard I sat at position k * N + I - 1), else in order of first appearance.
  static func suiteOrder(_ plans: [PlanSummary]) -> [String] {
    let shards = plans.compactMap { plan -> (index: Int, count: Int)? in
      let parts = (plan.shard ?? "").split(separator: "/").compactMap { Int($0) }
      return parts.count == 2 ? (parts[0], parts[1]) : nil
    }
    var placed: [(position: Int, entry: String)] = []
    if shards.count == plans.count, Set(shards.map(\.count)).count == 1 {
      for (plan, shard) in zip(plans, shards) {
        for (k, entry) in plan.cases.enumerated() {
          placed.append((k * shard.count + shard.index - 1, entry))
        }
      }
      placed.sort { $0.position < $1.position }
    } else {
      placed = plans.flatMap(\.cases).enumerated().map { ($0.offset, $0.element) }
    }
    var cases: [String] = []
    for (_, entry) in placed where !cases.contains(entry) { cases.append(entry) }
    return cases
  }
}

/// Why folders cannot be merged.
public enum MergeError: Error, Equatable, CustomStringConvertible {
  case tooFew(count: Int)
  case duplicate(caseName: String, variant: String, first: String, second: String)
  case mixedMetrics(paths: [String])

  public var description: String {
    switch self {
    case .tooFew(let count):
      "merge needs at least 2 result folders, got \(count)"
    case .duplicate(let caseName, let variant, let first, let second):
      "\(first) and \(second) both hold \(caseName) \(variant) on the same machine; merge each case once (shards of one plan, or runs of different machines)"
    case .mixedMetrics(let paths):
      "\(paths.joined(separator: ", ")) measured different metrics (time and instructions); merge runs of one metric"
    }
  }
}
