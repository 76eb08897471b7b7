import Foundation

/// Creates a folder and its missing parents one level at a time, so that a failure — or a
/// caller that gives up later — removes exactly the folders that were made, and nothing that
/// was there before.
enum FolderCreation {
  /// Why a folder could not be made: the `errno` of `mkdir` on `path`.
  struct Failure: Error {
    let path: String
    let code: Int32
    var reason: String { String(cString: strerror(code)) }
  }

  /// Creates `url` and its missing parents; returns the folders made, outermost first.
  /// Parents that appear meanwhile (another run making the same parent) are fine.
  /// - Parameter exclusive: `url` itself must not exist yet (fails with `EEXIST`), so that
  ///   of two callers asking for the same new folder only one gets it.
  static func make(_ url: URL, exclusive: Bool = false) throws(Failure) -> [URL] {
    var missing: [URL] = []
    var probe = url.standardizedFileURL
    while !FileManager.default.fileExists(atPath: probe.path), probe.path != "/" {
      missing.insert(probe, at: 0)
      probe.deleteLastPathComponent()
    }
    if exclusive, missing.isEmpty { throw Failure(path: url.path, code: EEXIST) }
    var made: [URL] = []
    for (index, folder) in missing.enumerated() {
      if mkdir(folder.path, 0o777) == 0 {
        made.append(folder)
        continue
      }
      let code = errno
      let isTarget = index == missing.count - 1
      if code == EEXIST, !(exclusive && isTarget), isFolder(folder.path) { continue }
      remove(made)
      throw Failure(path: folder.path, code: code)
    }
    return made
  }

  /// Removes the folders `make` returned, innermost first; a folder that is no longer empty
  /// stays.
  /// Makes the folder at `path` (and its missing parents), refusing a file in its place:
  /// the `make` that commands use, with failures as `FileError`. Returns the folder and the
  /// folders this call made, for `remove` should a later step fail.
  static func makeFolder(_ path: String) throws -> (url: URL, made: [URL]) {
    let url = URL(fileURLWithPath: path)
    if FileManager.default.fileExists(atPath: path), !isFolder(path) {
      throw FileError.unwritable(path: path, reason: "it is a file, not a folder")
    }
    do throws(Failure) {
      return (url, try make(url))
    } catch {
      throw FileError.unwritable(path: path, reason: error.reason)
    }
  }

  /// `yyyyMMdd-HHmmss` in UTC, for default folder names.
  static func timestamp(_ date: Date = Date()) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    return formatter.string(from: date)
  }

  static func remove(_ made: [URL]) {
    for folder in made.reversed() { rmdir(folder.path) }
  }

  static func isFolder(_ path: String) -> Bool {
    var isFolder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
      && isFolder.boolValue
  }
}
