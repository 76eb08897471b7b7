import Foundation

/// The path of the running sepbench binary, for commands that run it again as a child.
enum SelfBinary {
  static var path: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
  }
}
