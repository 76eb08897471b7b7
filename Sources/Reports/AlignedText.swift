/// Rows of cells as text columns for the console: each column as wide as its widest cell, two
/// spaces apart, numbers (the columns in `rightAligned`) padded on the left.
enum AlignedText {
  static func lines(_ rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
    let widths = (rows.first ?? []).indices.map { column in
      rows.map { $0[column].count }.max() ?? 0
    }
    return rows.map { cells in
      var line = ""
      for (column, (cell, width)) in zip(cells, widths).enumerated() {
        let pad = String(repeating: " ", count: width - cell.count)
        if column > 0 { line += "  " }
        line += rightAligned.contains(column) ? pad + cell : cell + pad
      }
      while line.last == " " { line.removeLast() }
      return line
    }
  }
}
