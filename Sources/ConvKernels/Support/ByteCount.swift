/// A byte count printed with a binary unit: `512 B`, `4.6 MiB`.
package struct ByteCount: CustomStringConvertible {
  package let bytes: Int
  package init(_ bytes: Int) { self.bytes = bytes }

  package var description: String {
    let units = ["B", "KiB", "MiB", "GiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if unit == 0 { return "\(bytes) B" }
    let rounded = (value * 10).rounded() / 10
    return "\(rounded) \(units[unit])"
  }
}
