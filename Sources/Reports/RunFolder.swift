import ConvKernels
import Foundation
import Harness

/// The result folder of one run, from the moment it is claimed to its last write.
///
/// - It holds the folder's `FolderLock` for the whole run, so a second run into the same
///   folder is refused.
/// - A folder that already holds result files is refused unless the run was told to replace
///   them. Even then they stay untouched until this run has a finished shape to put in their
///   place (or completes), so an interrupted run never leaves less than was there.
/// - Every write marks `meta.json` unfinished before it replaces a CSV (`ResultFolder.write`).
/// - While the run goes on, a checkpoint is written at most every `checkpointInterval`. A
///   checkpoint that fails is kept in `writeError`, so that the run can stop, and `finish`
///   reports it.
public final class RunFolder {
  /// The default time between checkpoints: 2 s.
  public static let defaultCheckpointInterval: UInt64 = 2_000_000_000

  public let folder: ResultFolder
  public var url: URL { folder.url }
  /// True while the result files of an earlier run are still in the folder, untouched.
  public private(set) var holdsEarlierResults: Bool
  /// The first write that failed, if any; no checkpoint is tried after it.
  public private(set) var writeError: FileError?

  private let lock: FolderLock
  private let checkpointInterval: UInt64
  private var metadata: RunMetadata?
  private var events: [String] = []
  private var results: [CaseResult] = []
  private var lastWrite: UInt64 = 0

  private init(
    folder: ResultFolder, lock: FolderLock, holdsEarlierResults: Bool, checkpointInterval: UInt64
  ) {
    self.folder = folder
    self.lock = lock
    self.holdsEarlierResults = holdsEarlierResults
    self.checkpointInterval = checkpointInterval
  }

  /// Claims `path` for a run: creates it and its missing parents, takes its lock, and removes
  /// the temporary files a killed writer left there.
  /// - Parameter replacing: whether result files already in the folder may be replaced.
  /// - Throws: `FileError.unwritable`, `.inUse`, or `.holdsResults` (unless `replacing`). The
  ///   folders this call made are removed again, and an existing folder is left as it was.
  public static func claim(
    _ path: String, replacing: Bool, checkpointInterval: UInt64 = defaultCheckpointInterval
  ) throws -> RunFolder {
    let (url, made) = try FolderCreation.makeFolder(path)
    return try adopt(
      url, path: path, made: made, replacing: replacing, checkpointInterval: checkpointInterval)
  }

  /// Claims a folder that no other run has: `path` itself, or when that exists, the first of
  /// `path-2`, `path-3`, … that does not. The folder is created exclusively, so two runs that
  /// ask for the same name at once get two folders.
  /// - Throws: `FileError.unwritable` when no folder can be made.
  public static func claimNew(
    _ path: String, checkpointInterval: UInt64 = defaultCheckpointInterval
  ) throws -> RunFolder {
    for attempt in 1...1000 {
      let candidate = attempt == 1 ? path : "\(path)-\(attempt)"
      let url = URL(fileURLWithPath: candidate)
      let made: [URL]
      do throws(FolderCreation.Failure) {
        made = try FolderCreation.make(url, exclusive: true)
      } catch {
        if error.code == EEXIST { continue }
        throw FileError.unwritable(path: candidate, reason: error.reason)
      }
      return try adopt(
        url, path: candidate, made: made, replacing: false, checkpointInterval: checkpointInterval
      )
    }
    throw FileError.unwritable(path: path, reason: "\(path)-2 to \(path)-1000 exist as well")
  }

  private static func adopt(
    _ url: URL, path: String, made: [URL], replacing: Bool, checkpointInterval: UInt64
  ) throws -> RunFolder {
    let lock: FolderLock
    do {
      lock = try FolderLock.acquire(url)
    } catch {
      FolderCreation.remove(made)
      throw error
    }
    let folder = ResultFolder(url: url)
    let earlier = folder.existingResultFiles()
    if !earlier.isEmpty, !replacing {
      let finished = folder.isFinished()
      lock.release()
      throw FileError.holdsResults(path: path, files: earlier, finished: finished)
    }
    folder.removeStaleTemporaryFiles()
    return RunFolder(
      folder: folder, lock: lock, holdsEarlierResults: !earlier.isEmpty,
      checkpointInterval: checkpointInterval)
  }

  /// Starts the run: keeps `metadata` and `events` (counter events, in column order) for the
  /// checkpoints, and writes header-only CSVs with `meta.json` saying not completed — unless
  /// the folder still holds earlier results, which stay as they are.
  /// - Throws: `FileError.unwritable` naming the file.
  public func begin(_ metadata: RunMetadata, events: [String]) throws {
    self.metadata = metadata
    self.events = events
    lastWrite = MonotonicClock.now()
    if !holdsEarlierResults { try write(results: [], metadata: metadata) }
  }

  /// Adds the rows of one finished shape. Writes a checkpoint when `checkpointInterval` has
  /// passed since the last write, and at once when the folder still holds earlier results.
  /// A failed write is kept in `writeError`, and no checkpoint is tried after it.
  public func record(_ rows: [CaseResult]) {
    results += rows
    guard writeError == nil, let metadata else { return }
    guard holdsEarlierResults || MonotonicClock.now() - lastWrite >= checkpointInterval else {
      return
    }
    do {
      try write(results: results, metadata: metadata)
    } catch {
      writeError = error
    }
  }

  /// Writes the final state of the run: `results` with `metadata`, whose `completed` and
  /// `endTime` the caller has set. A run that ends before any shape finished leaves earlier
  /// results untouched.
  /// - Throws: the failed write, or else the failed checkpoint that stopped the run early.
  public func finish(results: [CaseResult], metadata: RunMetadata) throws {
    self.metadata = metadata
    if !(holdsEarlierResults && results.isEmpty && !metadata.completed) {
      try write(results: results, metadata: metadata)
    }
    if let writeError { throw writeError }
  }

  /// What an interrupted run leaves in the folder, as one line for stderr.
  public var interruptedNote: String {
    holdsEarlierResults
      ? "interrupted before any shape finished: \(url.path) still holds the earlier results"
      : "interrupted: \(url.path) holds the finished shapes, marked incomplete"
  }

  /// Drops the folder's lock and removes the lock file.
  public func release() { lock.release() }

  private func write(results: [CaseResult], metadata: RunMetadata) throws(FileError) {
    holdsEarlierResults = false
    lastWrite = MonotonicClock.now()
    do {
      try folder.write(
        results: results, metadata: metadata, events: events, ceilings: metadata.ceilings)
    } catch let error as FileError {
      throw error
    } catch {
      throw FileError.unwritable(path: url.path, reason: ResultFolder.reason(error))
    }
  }
}
