import Foundation
import Reports
import Testing

/// `ResultFolder.checkWritable` says what is wrong with an `--out` path in its own words, not
/// Foundation's, and creates nothing.
@Suite struct ResultFolderPathTests {
  /// The reason `checkWritable` gives for `path`, or nil when it accepts it.
  func refusal(_ path: String) -> String? {
    do {
      try ResultFolder.checkWritable(path)
      return nil
    } catch let FileError.unwritable(_, reason) {
      return reason
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func emptyPathIsRefused() {
    #expect(refusal("") == "the path is empty; give a folder, e.g. sepbench-results/run1")
  }

  @Test func nameLongerThanTheFileSystemAllowsIsRefusedWithItsLength() {
    let name = String(repeating: "a", count: 300)
    let reason = refusal(FileManager.default.temporaryDirectory.path + "/" + name)
    #expect(
      reason?.hasSuffix("is 300 bytes long; a file system allows at most 255 bytes per name")
        == true)
    #expect(reason?.contains("… (300 characters)") == true)
  }

  @Test func pathLongerThanTheSystemAllowsIsRefused() {
    let path = "/tmp/" + Array(repeating: "abcdefgh", count: 600).joined(separator: "/")
    #expect(refusal(path) == "the path is \(path.utf8.count) bytes long; at most 4095 are allowed")
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self")))
  func folderInsideProcIsRefusedNamingTheFileSystem() {
    let reason = refusal("/proc/x")
    #expect(
      reason?.hasPrefix("'/proc' is on the kernel's proc file system") == true, "\(reason ?? "")")
    #expect(!FileManager.default.fileExists(atPath: "/proc/x"))
  }

  @Test func fileOnThePathIsRefused() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-file-\(UUID().uuidString)")
    try Data("x".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    #expect(refusal(file.path + "/sub") == "'\(file.path)' is a file, not a folder")
  }

  @Test func newFolderUnderTheTemporaryFolderIsAccepted() {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-new-\(UUID().uuidString)/a/b"
    ).path
    #expect(refusal(path) == nil)
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test func readingAMissingFileSaysItDoesNotExist() {
    let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/results.csv")
    #expect {
      try CSVTable(contentsOf: missing)
    } throws: { error in
      guard case .unreadable(_, let reason) = error as? FileError else { return false }
      return reason.hasPrefix("it does not exist") && !reason.contains("operation could not")
    }
  }
}
