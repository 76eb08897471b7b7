/// A value quoted back to the user in an error message, cut to its first 200 characters (a long path still reads whole) and
/// its length when longer (`aaaa… (100000 characters)`), so that one bad argument gives one
/// short line rather than echoing the whole argument.
package struct EchoedText: CustomStringConvertible, Sendable {
  /// The longest text echoed whole.
  package static let limit = 200

  package let text: String

  package init(_ text: String) { self.text = text }

  package var description: String {
    let count = text.count
    return count <= Self.limit ? text : "\(text.prefix(Self.limit))… (\(count) characters)"
  }
}
