/// The cost table as text: CSV-ready records and an aligned console table with totals.
extension NetworkModel {
  /// Column names of `records`, in order (the header of `sepbench model --format csv`).
  /// `std_*` are the standard-convolution twin's counts (equal to the layer's own for
  /// non-separable layers); `dw_*`/`pw_*` are empty except for `sep_block` rows;
  /// `mac_ratio` = `macs / std_macs` (empty for pooling); `shape` is the layer's
  /// `ConvProblem` descriptor (empty for pooling); `std_winograd_mults` is the twin's
  /// multiplications with Winograd F(4x4, 3x3) where it applies (stride-1 3x3), its MACs
  /// elsewhere.
  public static let columns = [
    "layer", "op", "c_in", "c_out", "h", "w", "h_out", "w_out", "stride", "kh", "kw", "macs",
    "params", "bytes_min", "dw_macs", "dw_params", "pw_macs", "pw_params", "std_macs",
    "std_params", "mac_ratio", "shape", "std_winograd_mults",
  ]

  /// One record per layer, fields in the order of `columns`; plain decimals, no totals.
  public var records: [[String]] {
    layers.map { layer in
      [
        layer.name, layer.kind.rawValue, "\(layer.inChannels)", "\(layer.outChannels)",
        "\(layer.height)", "\(layer.width)", "\(layer.outHeight)", "\(layer.outWidth)",
        "\(layer.stride)", "\(layer.kernelH)", "\(layer.kernelW)", "\(layer.macs)",
        "\(layer.params)", "\(layer.bytesMin)", layer.depthwise.map { "\($0.macs)" } ?? "",
        layer.depthwise.map { "\($0.params)" } ?? "", layer.pointwise.map { "\($0.macs)" } ?? "",
        layer.pointwise.map { "\($0.params)" } ?? "", "\(layer.standard.macs)",
        "\(layer.standard.params)", layer.macRatio.map { fixed($0, digits: 6) } ?? "",
        layer.problem?.descriptor ?? "", "\(layer.standardWinogradMults)",
      ]
    }
  }

  /// An aligned table (text left, numbers right), a totals row under it, then a summary of
  /// separable against standard. Every line ends with `\n`.
  public var tableText: String {
    let header = [
      "layer", "op", "c_in", "c_out", "h", "w", "s", "kernel", "macs", "params", "bytes_min",
      "std_macs", "std_params", "ratio", "std_wino_mults",
    ]
    let leftAligned: Set<Int> = [0, 1, 7]
    var rows = layers.map { layer in
      [
        layer.name, layer.kind.rawValue, "\(layer.inChannels)", "\(layer.outChannels)",
        "\(layer.height)", "\(layer.width)", "\(layer.stride)", layer.kernelText, "\(layer.macs)",
        "\(layer.params)", "\(layer.bytesMin)", "\(layer.standard.macs)",
        "\(layer.standard.params)", layer.macRatio.map { fixed($0, digits: 4) } ?? "",
        "\(layer.standardWinogradMults)",
      ]
    }
    let totals = [
      "total", "", "", "", "", "", "", "", "\(totalMACs)", "\(totalParams)", "\(totalBytesMin)",
      "\(standardMACs)", "\(standardParams)",
      fixed(Double(totalMACs) / Double(standardMACs), digits: 4), "\(standardWinogradMults)",
    ]
    let widths = header.indices.map { column in
      ([header] + rows + [totals]).map { $0[column].count }.max() ?? 0
    }
    func line(_ fields: [String]) -> String {
      fields.indices.map { column in
        let padding = String(repeating: " ", count: widths[column] - fields[column].count)
        return leftAligned.contains(column) ? fields[column] + padding : padding + fields[column]
      }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
    }
    let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
    rows = [header] + rows
    var text = "\(title), width \(width), resolution \(resolution)x\(resolution)\n\n"
    text += rows.map(line).joined() + rule + line(totals) + "\n"
    text += "separable: \(millions(totalMACs)) M MACs, \(millions(totalParams)) M params\n"
    text += "standard:  \(millions(standardMACs)) M MACs, \(millions(standardParams)) M params"
    text += " (\(fixed(Double(standardMACs) / Double(totalMACs), digits: 2))x the MACs,"
    text += " \(fixed(Double(standardParams) / Double(totalParams), digits: 2))x the params)\n"
    text += "standard with Winograd F(4x4,3x3) on its stride-1 3x3 layers: "
    text += "\(millions(standardWinogradMults)) M multiplications"
    text +=
      " (\(fixed(Double(standardWinogradMults) / Double(totalMACs), digits: 2))x the separable MACs)\n"
    text += "MACs count padded taps and the FC layer; params are weights only (no bias, no BN).\n"
    return text
  }

  /// `value / 10^6` with two decimals.
  private func millions(_ value: Int) -> String { fixed(Double(value) / 1e6, digits: 2) }
}

/// `value` with exactly `digits` decimals, rounded half away from zero (no Foundation).
private func fixed(_ value: Double, digits: Int) -> String {
  var scale = 1
  for _ in 0..<digits { scale *= 10 }
  let scaled = Int((value * Double(scale)).rounded())
  let sign = scaled < 0 ? "-" : ""
  let magnitude = abs(scaled)
  guard digits > 0 else { return sign + "\(magnitude)" }
  let fraction = "\(magnitude % scale)"
  return sign + "\(magnitude / scale)." + String(repeating: "0", count: digits - fraction.count)
    + fraction
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var result = self
    while result.last == " " { result.removeLast() }
    return result
  }
}
