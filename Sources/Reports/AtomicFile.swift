import Foundation

/// Writes files so that a reader sees either the old content or the new, never half: the
/// bytes go to a temporary file in the same folder, which is then renamed over the target.
public enum AtomicFile {
  /// Writes `text` (UTF-8) to `url` atomically.
  /// - Throws: `FileError.unwritable` naming the path.
  public static func write(_ text: String, to url: URL) throws {
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(
        ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
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
      throw FileError.unwritable(path: url.path, reason: (error as NSError).localizedDescription)
    }
  }
}

/// A file or folder that cannot be read or written.
public enum FileError: Error, Equatable, CustomStringConvertible, Sendable {
  case unwritable(path: String, reason: String)
  case unreadable(path: String, reason: String)

  public var description: String {
    switch self {
    case .unwritable(let path, let reason): "cannot write '\(path)': \(reason)"
    case .unreadable(let path, let reason): "cannot read '\(path)': \(reason)"
    }
  }
}
