import Foundation

/// Writes files so that a reader sees either the old content or the new, never half: the
/// bytes go to a temporary file in the same folder, which is then renamed over the target.
public enum AtomicFile {
  /// Writes `text` (UTF-8) to `url` atomically.
  /// - Throws: `FileError.unwritable` naming the path.
  public static func write(_ text: String, to url: URL) throws {
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(
        temporaryPrefix(url.lastPathComponent)
          + String(ProcessInfo.processInfo.processIdentifier))
    do {
      try Data(text.utf8).write(to: temporary)
      if rename(temporary.path, url.path) != 0 {
        throw FileError.unwritable(path: url.path, reason: String(cString: strerror(errno)))
      }
    } catch let error as FileError {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw FileError.unwritable(path: url.path, reason: ResultFolder.reason(error))
    }
  }

  /// Removes the file at `url`, if there is one: a file a rewritten folder must not keep.
  /// - Throws: `FileError.unwritable` naming the path when the file exists and stays.
  public static func remove(_ url: URL) throws {
    if unlink(url.path) != 0 && errno != ENOENT {
      throw FileError.unwritable(path: url.path, reason: String(cString: strerror(errno)))
    }
  }

  /// The start of the name of every temporary file that `write` makes for a file named
  /// `name`; the writer's process id follows.
  public static func temporaryPrefix(_ name: String) -> String { ".\(name).tmp-" }
}

/// A file or folder that cannot be read or written.
public enum FileError: Error, Equatable, CustomStringConvertible, Sendable {
  case unwritable(path: String, reason: String)
  case unreadable(path: String, reason: String)
  /// Another run holds the folder's lock (`pid` when it could be read from the lock file).
  case inUse(path: String, pid: Int32?)
  /// The folder holds result files of an earlier run, which a run replaces only when told to.
  case holdsResults(path: String, files: [String], finished: Bool)

  public var description: String {
    switch self {
    case .unwritable(let path, let reason): "cannot write '\(path)': \(reason)"
    case .unreadable(let path, let reason): "cannot read '\(path)': \(reason)"
    case .inUse(let path, let pid):
      "'\(path)' is in use by another sepbench run\(pid.map { " (pid \($0))" } ?? ""); "
        + "wait for it to end or choose another --out"
    case .holdsResults(let path, let files, let finished):
      "'\(path)' already holds the \(finished ? "finished" : "unfinished") results of an "
        + "earlier run (\(files.joined(separator: ", "))); choose another --out, or pass "
        + "--force to replace them"
    }
  }
}
