import ConvKernels
import Foundation
import Harness

/// A result folder: `results.csv`, `samples.csv`, `comparison.csv`, `meta.json`, and `isa.csv`
/// where a case timed families of both AVX2 and AVX-512.
///
/// Every file is written atomically (temporary file, then rename), so a reader — or a run
/// interrupted mid-write — sees either the previous complete file or the new one. The folder
/// as a whole is finished only when `meta.json` says `"completed": true`: `write` marks it
/// unfinished before it replaces any CSV and finished after the last one is in place.
public struct ResultFolder: Sendable {
  public let url: URL

  public static let resultsFile = "results.csv"
  public static let samplesFile = "samples.csv"
  public static let comparisonFile = "comparison.csv"
  public static let metaFile = "meta.json"
  /// The four files of a result folder.
  public static let fileNames = [resultsFile, samplesFile, comparisonFile, metaFile]
  /// The counts of a `--metric instructions` run, written beside the four.
  public static let instructionsFile = "instructions.csv"
  /// AVX-512 against AVX2 per case, operator and thread count (`ISAComparisonRow`), written
  /// beside the four when a run timed families of both levels on one case.
  public static let isaFile = "isa.csv"
  /// Every file a run may write.
  static let allFileNames = fileNames + [instructionsFile, isaFile]

  /// Creates the folder (and its parents) if needed and checks that it can be written.
  /// - Throws: `FileError.unwritable` naming the path and the reason.
  public static func create(at path: String) throws -> ResultFolder {
    let (url, made) = try FolderCreation.makeFolder(path)
    guard FileManager.default.isWritableFile(atPath: path) else {
      FolderCreation.remove(made)
      throw FileError.unwritable(path: path, reason: "permission denied")
    }
    return ResultFolder(url: url)
  }

  /// Checks, without creating anything, that `path` could become a result folder: it is not
  /// empty, each of its names fits the file system (255 bytes; 4095 for the whole path), it
  /// is not a file, and its nearest existing ancestor is a writable folder on a file system
  /// that holds files (not `/proc` or `/sys`, not mounted read-only).
  /// - Throws: `FileError.unwritable` naming the path (cut to 200 characters) and what is wrong.
  public static func checkWritable(_ path: String) throws {
    func refuse(_ reason: String) -> FileError {
      FileError.unwritable(path: EchoedText(path).description, reason: reason)
    }
    guard !path.isEmpty else {
      throw refuse("the path is empty; give a folder, e.g. sepbench-results/run1")
    }
    let pathMax = 4095
    guard path.utf8.count <= pathMax else {
      throw refuse("the path is \(path.utf8.count) bytes long; at most \(pathMax) are allowed")
    }
    let nameMax = 255
    for name in path.split(separator: "/") where name.utf8.count > nameMax {
      throw refuse(
        "the name '\(EchoedText(String(name)))' is \(name.utf8.count) bytes long; a file system allows at most \(nameMax) bytes per name"
      )
    }
    var url = URL(fileURLWithPath: path).standardizedFileURL
    var isFolder: ObjCBool = false
    while !FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
      url.deleteLastPathComponent()
    }
    guard isFolder.boolValue else {
      throw refuse("'\(url.path)' is a file, not a folder")
    }
    let existing = url.resolvingSymlinksInPath().path
    if let mount = MountTable.current()?.mount(containing: existing),
      MountTable.pseudoFileSystems.contains(mount.type)
    {
      throw refuse(
        "'\(existing)' is on the kernel's \(mount.type) file system (\(mount.point)), which cannot hold a result folder"
      )
    }
    var volume = statvfs()
    if statvfs(existing, &volume) == 0, volume.f_flag & UInt(ST_RDONLY) != 0 {
      throw refuse("'\(existing)' is on a read-only file system")
    }
    guard FileManager.default.isWritableFile(atPath: url.path) else {
      throw refuse("'\(url.path)' is not writable")
    }
  }

  public init(url: URL) { self.url = url }

  /// `yyyyMMdd-HHmmss` now, in UTC: the time part of default folder names.
  public static func timestamp() -> String { FolderCreation.timestamp() }

  /// Writes all four files, and `isa.csv` where the results hold both SIMD levels on a case
  /// (else removes an earlier one). `events` are the requested counter events, in column
  /// order.
  ///
  /// `meta.json` goes first, saying `"completed": false`, so that from the first replaced CSV
  /// on no reader — and no run killed between two renames — takes the folder for a finished
  /// one. When `metadata.completed` is true, `meta.json` is written once more, last.
  /// - Throws: `FileError.unwritable` naming the file that could not be written.
  public func write(
    results: [CaseResult], metadata: RunMetadata, events: [String],
    ceilings: MachineCeilings? = nil
  ) throws {
    let metaURL = url.appendingPathComponent(Self.metaFile)
    var unfinished = metadata
    unfinished.completed = false
    try AtomicFile.write(try Self.json(unfinished, path: metaURL.path), to: metaURL)
    let table = ResultsTable(events: events, ceilings: ceilings)
    try AtomicFile.write(table.csv(results), to: url.appendingPathComponent(Self.resultsFile))
    try AtomicFile.write(Self.samplesCSV(results), to: url.appendingPathComponent(Self.samplesFile))
    var comparison = CSVWriter(header: ComparisonRow.header)
    for row in ComparisonRow.rows(from: results) { comparison.append(row.cells) }
    try AtomicFile.write(comparison.text, to: url.appendingPathComponent(Self.comparisonFile))
    try writeISA(
      header: ISAComparisonRow.header, rows: ISAComparisonRow.rows(from: results).map(\.cells))
    if metadata.plan.measuredMetric == .instructions {
      try AtomicFile.write(
        InstructionsTable(results: results).csv,
        to: url.appendingPathComponent(Self.instructionsFile))
    }
    if metadata.completed {
      try AtomicFile.write(try Self.json(metadata, path: metaURL.path), to: metaURL)
    }
  }

  /// Writes `isa.csv` with `header` and `rows`; with no rows, removes an earlier one, which a
  /// replaced folder must not keep.
  /// - Throws: `FileError.unwritable` naming the file.
  func writeISA(header: [String], rows: [[String]]) throws {
    let file = url.appendingPathComponent(Self.isaFile)
    guard !rows.isEmpty else { return try AtomicFile.remove(file) }
    var table = CSVWriter(header: header)
    for row in rows { table.append(row) }
    try AtomicFile.write(table.text, to: file)
  }

  /// The result files (of `fileNames`) that exist in this folder.
  public func existingResultFiles() -> [String] {
    Self.allFileNames.filter {
      FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path)
    }
  }

  /// True when `meta.json` can be read and says the run completed: only then do the four
  /// files belong to one finished run.
  public func isFinished() -> Bool { (try? readMetadata().completed) ?? false }

  /// Removes the temporary files an earlier writer left behind when it was killed between
  /// writing and renaming (`.results.csv.tmp-<pid>`, …). Call only while holding the folder's
  /// lock, so that no live writer's file is taken. A file that cannot be removed stays, as it
  /// would have without this call; the folder's results do not depend on it.
  public func removeStaleTemporaryFiles() {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    let prefixes = Self.allFileNames.map(AtomicFile.temporaryPrefix)
    for name in names where prefixes.contains(where: name.hasPrefix) {
      unlink(url.appendingPathComponent(name).path)
    }
  }

  /// Column names of `samples.csv`.
  public static let samplesHeader = [
    "schema", "suite", "case", "op", "variant", "layout", "threads", "rep", "iters", "time_ns",
    "isa",
  ]

  static func samplesCSV(_ results: [CaseResult]) -> String {
    var writer = CSVWriter(header: samplesHeader)
    for row in results {
      for (rep, time) in row.samples.enumerated() {
        writer.append([
          String(ResultsColumn.schemaVersion), row.suite, row.caseName, row.op.rawValue, row.family,
          row.layout.rawValue, String(row.threads), String(rep), String(row.iterations),
          DecimalText.text(time, digits: 1), row.isa.rawValue,
        ])
      }
    }
    return writer.text
  }

  static func json(_ metadata: RunMetadata) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(metadata), as: UTF8.self) + "\n"
  }

  /// `json(metadata)`, with an encoding failure reported as the file it was meant for.
  static func json(_ metadata: RunMetadata, path: String) throws -> String {
    do {
      return try json(metadata)
    } catch {
      throw FileError.unwritable(path: path, reason: reason(error))
    }
  }

  /// Reads `meta.json` back.
  public func readMetadata() throws -> RunMetadata {
    let file = url.appendingPathComponent(Self.metaFile)
    do {
      return try JSONDecoder().decode(RunMetadata.self, from: Data(contentsOf: file))
    } catch {
      throw FileError.unreadable(path: file.path, reason: Self.reason(error))
    }
  }

  /// Reads a CSV file of this folder.
  public func readTable(_ name: String) throws -> CSVTable {
    try CSVTable(contentsOf: url.appendingPathComponent(name))
  }

  /// What went wrong, in words about the file rather than Foundation's ("The file name is
  /// invalid."): from the system's error number when there is one.
  static func reason(_ error: any Error) -> String {
    let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey]
    if let posix = (underlying as? POSIXError) ?? (error as? POSIXError) {
      return reason(errno: posix.code.rawValue)
    }
    var text = (error as NSError).localizedDescription
    text = text.split(separator: "\n").first.map(String.init) ?? text
    let boilerplate = "The operation could not be completed. "
    if text.hasPrefix(boilerplate) { text.removeFirst(boilerplate.count) }
    return text
  }

  /// The meaning of `errno` for a file or folder path.
  static func reason(errno code: Int32) -> String {
    switch code {
    case ENOENT: "it does not exist, or a folder on its path does not"
    case EACCES, EPERM: "permission denied"
    case ENAMETOOLONG: "a name on the path is over 255 bytes, or the path is over 4095 bytes"
    case ENOTDIR: "a part of the path is a file, not a folder"
    case EISDIR: "it is a folder, not a file"
    case EROFS: "the file system is read-only"
    case ENOSPC: "no space is left on the device"
    case EDQUOT: "the disk quota is used up"
    case EEXIST: "something of that name is already there"
    case EINVAL: "the file system does not accept that name"
    case ELOOP: "the path has a loop of symbolic links"
    default: String(cString: strerror(code))
    }
  }
}

extension CSVTable {
  /// Reads and parses a CSV file.
  /// - Throws: `FileError.unreadable` or a `CSVError` naming the line.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw FileError.unreadable(path: url.path, reason: ResultFolder.reason(error))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw FileError.unreadable(path: url.path, reason: "not UTF-8 text")
    }
    try self.init(parsing: text)
  }
}
