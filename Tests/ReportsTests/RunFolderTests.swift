import Foundation
import Harness
import Reports
import Testing

/// The life of a run's result folder: claim, lock, first write, checkpoints, last write.
@Suite struct RunFolderTests {
  /// A folder holding the finished results of an earlier run.
  static func finishedFolder() throws -> URL {
    let folder = try ResultFolder.create(at: ResultFolderTests.temporaryFolder())
    try folder.write(
      results: try ResultFolderTests.sampleResults(),
      metadata: ResultFolderTests.metadata(completed: true),
      events: [])
    return folder.url
  }

  static func snapshot(_ folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
      files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
    }
    return files
  }

  /// Puts a non-empty folder where `name` is, so that renaming a file onto it fails.
  static func blockWrites(to name: String, in folder: URL) throws {
    let blocker = folder.appendingPathComponent(name)
    try? FileManager.default.removeItem(at: blocker)
    try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
    try Data().write(to: blocker.appendingPathComponent("x"))
  }

  @Test func folderWithEarlierResultsIsRefusedAndLeftAsItWas() throws {
    let url = try Self.finishedFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let before = try Self.snapshot(url)
    #expect(
      throws: FileError.holdsResults(path: url.path, files: ResultFolder.fileNames, finished: true)
    ) { try RunFolder.claim(url.path, replacing: false) }
    #expect(try Self.snapshot(url) == before)
  }

  @Test func secondClaimOfAFolderInUseIsRefusedNamingTheOwner() throws {
    let path = ResultFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let first = try RunFolder.claim(path, replacing: false)
    #expect(throws: FileError.inUse(path: path, pid: getpid())) {
      try RunFolder.claim(path, replacing: true)
    }
    first.release()
    let second = try RunFolder.claim(path, replacing: false)
    second.release()
  }

  @Test func releaseRemovesTheLockFile() throws {
    let path = ResultFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let folder = try RunFolder.claim(path, replacing: false)
    #expect(try FileManager.default.contentsOfDirectory(atPath: path) == [FolderLock.fileName])
    folder.release()
    #expect(try FileManager.default.contentsOfDirectory(atPath: path) == [])
  }

  @Test func newFolderClaimsOfOneNameGetAFolderEach() throws {
    let parent = ResultFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: parent) }
    let base = parent + "/quick-20250101-120000"
    let first = try RunFolder.claimNew(base)
    let second = try RunFolder.claimNew(base)
    #expect(first.url.path == base)
    #expect(second.url.path == base + "-2")
  }

  @Test func failedCreationRemovesTheFoldersItMade() throws {
    let parent = ResultFolderTests.temporaryFolder()
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: parent) }
    let path = parent + "/made/" + String(repeating: "x", count: 300)  // NAME_MAX is 255
    #expect(throws: FileError.self) { try RunFolder.claim(path, replacing: false) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == [])
  }

  @Test func temporaryFilesOfAKilledWriterAreRemovedOnClaim() throws {
    let path = ResultFolderTests.temporaryFolder()
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    for name in [".results.csv.tmp-4242", ".samples.csv.tmp-1", "notes.txt"] {
      try Data("x".utf8).write(to: URL(fileURLWithPath: path + "/" + name))
    }
    let folder = try RunFolder.claim(path, replacing: false)
    defer { folder.release() }
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        == [FolderLock.fileName, "notes.txt"])
  }

  @Test func replacingKeepsEarlierResultsWhileNoShapeIsFinished() throws {
    let url = try Self.finishedFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let before = try Self.snapshot(url)
    let folder = try RunFolder.claim(url.path, replacing: true)
    try folder.begin(ResultFolderTests.metadata(), events: [])
    try folder.finish(results: [], metadata: ResultFolderTests.metadata())
    folder.release()
    #expect(folder.holdsEarlierResults)
    #expect(try Self.snapshot(url) == before)
  }

  @Test func firstFinishedShapeReplacesEarlierResultsMarkedIncomplete() throws {
    let url = try Self.finishedFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let folder = try RunFolder.claim(url.path, replacing: true, checkpointInterval: .max)
    defer { folder.release() }
    try folder.begin(ResultFolderTests.metadata(), events: [])
    folder.record(Array(try ResultFolderTests.sampleResults().prefix(1)))
    #expect(folder.writeError == nil)
    #expect(try folder.folder.readMetadata().completed == false)
    #expect(try folder.folder.readTable(ResultFolder.resultsFile).rows.count == 1)
  }

  @Test func checkpointWaitsForItsInterval() throws {
    let path = ResultFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let folder = try RunFolder.claim(path, replacing: false, checkpointInterval: .max)
    defer { folder.release() }
    try folder.begin(ResultFolderTests.metadata(), events: [])
    folder.record(try ResultFolderTests.sampleResults())
    #expect(try folder.folder.readTable(ResultFolder.resultsFile).rows.count == 0)
  }

  @Test func failedCheckpointIsKeptAndReportedAtTheEnd() throws {
    let path = ResultFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let folder = try RunFolder.claim(path, replacing: false, checkpointInterval: 0)
    defer { folder.release() }
    try folder.begin(ResultFolderTests.metadata(), events: [])
    try Self.blockWrites(to: ResultFolder.resultsFile, in: folder.url)
    folder.record(try ResultFolderTests.sampleResults())
    let error = try #require(folder.writeError)
    guard case .unwritable(let file, _) = error else {
      Issue.record("\(error)")
      return
    }
    #expect(file == path + "/" + ResultFolder.resultsFile)
    #expect(throws: error) {
      try folder.finish(
        results: try ResultFolderTests.sampleResults(), metadata: ResultFolderTests.metadata())
    }
  }
}
