import Foundation

/// The console table, the markdown summary for CI job pages, JUnit XML and GitHub annotations.
extension RegressionReport {
  /// One line saying what was compared and how.
  public var headline: String {
    let counts = Verdict.allCases.compactMap { v in
      count(v) > 0 ? "\(count(v)) \(v.rawValue)" : nil
    }
    let method =
      countsInstructions
      ? "\(metric.replacingOccurrences(of: ":", with: " counted by ")), one count per block; "
        + "interval = extremes over blocks"
      : paired
        ? "paired blocks, Hodges-Lehmann of block ratios, robust t interval"
        : "unpaired, pooled medians, bootstrap interval"
    let level = rows.lazy.compactMap(\.estimate).first.map { Percent.text($0.level) } ?? "99%"
    var line =
      "\(rows.count) cases (\(counts.joined(separator: ", "))); \(method)"
      + (countsInstructions ? "" : ", \(level) intervals")
      + "; regression = whole interval above +T"
    if !disturbedPairs.isEmpty {
      let shifts = disturbedPairs.sorted { $0.key < $1.key }
        .map { "\($0.key + 1) (\(Percent.signed(1 + $0.value)))" }
      line +=
        "; left out \(disturbedPairs.count) disturbed pair(s): \(shifts.joined(separator: ", "))"
    }
    return line
  }

  /// How much CPU time the hypervisor took during each side's blocks, or nil when neither
  /// side recorded it: slow blocks on a stolen CPU are the machine, not the change.
  public var stealLine: String? {
    guard baseStealPercent != nil || headStealPercent != nil else { return nil }
    func share(_ value: Double?) -> String {
      value.map { DecimalText.text($0, digits: 1) + " %" } ?? "not recorded"
    }
    let worst = max(baseStealPercent ?? 0, headStealPercent ?? 0)
    return
      "Steal (CPU time the hypervisor took, median per block): BASE \(share(baseStealPercent)), "
      + "HEAD \(share(headStealPercent))"
      + (worst >= StealWarning.thresholdPercent
        ? "; the machine was busy, so wide intervals here are expected" : "")
  }

  /// The console table, worst first.
  public var table: String {
    var lines = [headline]
    if let stealLine { lines.append(stealLine) }
    if !machineDifferences.isEmpty {
      lines.append(
        "ADVISORY: different machines (\(machineDifferences.joined(separator: "; "))); "
          + "no verdict below gates anything")
    }
    let width = max(8, rows.map { $0.key.description.count }.max() ?? 8)
    lines.append(
      "verdict       " + "case".padding(toLength: width, withPad: " ", startingAt: 0)
        + (countsInstructions
          ? "  base ins.  head ins.  change   interval             T     p       reason"
          : "   base ms    head ms  change   interval             T     p       reason"))
    for row in rows {
      var line = row.verdict.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
      line += row.key.description.padding(toLength: width, withPad: " ", startingAt: 0)
      if let e = row.estimate {
        line += "  " + pad(value(e.baseMedian), 9) + "  " + pad(value(e.headMedian), 9)
        line += "  " + pad(Percent.signed(e.ratio), 7)
        line +=
          "   "
          + "[\(Percent.signed(e.low)), \(Percent.signed(e.high))]"
          .padding(toLength: 20, withPad: " ", startingAt: 0)
        line += " " + pad(Percent.text(row.threshold), 4)
        line += "  " + pad(e.pValue.map { DecimalText.text($0, digits: 3) } ?? "", 5)
      }
      if !row.reason.isEmpty { line += "   " + row.reason }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }

  /// A markdown summary for a CI job page: regressions first, then improvements, inconclusive
  /// and incomparable cases, the unchanged ones folded. Kept under `limit` bytes by folding
  /// rows away (and saying how many).
  public func markdown(limit: Int = 1 << 20) -> String {
    var text = "## sepbench: performance comparison\n\n"
    let status: String
    switch exitStatus {
    case 2: status = "**incomparable**"
    case 1 where count(.regression) == 0:
      status = "**\(count(.inconclusive)) inconclusive (strict)**"
    case 1: status = "**\(count(.regression)) regression(s)**"
    default: status = machineDifferences.isEmpty ? "no regression" : "advisory only"
    }
    text += "\(status). \(headline).\n\n"
    if !machineDifferences.isEmpty {
      text +=
        "> Advisory only: the two sides ran on different machines "
        + "(\(machineDifferences.joined(separator: "; "))).\n\n"
    }
    if let stealLine { text += stealLine + ".\n\n" }
    text +=
      "BASE `\(basePath)`, HEAD `\(headPath)`. Change = HEAD/BASE − 1 of "
      + (countsInstructions ? "instruction counts" : "median times") + ".\n\n"
    let header =
      "| verdict | case | variant | base | head | change | interval | T | p | note |\n"
      + "| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- |\n"
    func line(_ row: CaseComparison) -> String {
      var cells = [row.verdict.rawValue, row.key.caseName, "`\(row.key.variantID)`"]
      if let e = row.estimate {
        let interval = "[\(Percent.signed(e.low)), \(Percent.signed(e.high))]"
        let p = e.pValue.map { DecimalText.text($0, digits: 3) } ?? ""
        cells += [
          value(e.baseMedian) + unit, value(e.headMedian) + unit, Percent.signed(e.ratio),
        ]
        cells += [interval, Percent.text(row.threshold), p]
      } else {
        cells += ["", "", "", "", "", ""]
      }
      cells.append(row.reason.replacingOccurrences(of: "|", with: "\\|"))
      return "| " + cells.joined(separator: " | ") + " |\n"
    }
    let shown = rows.filter { $0.verdict != .unchanged }
    let folded = rows.filter { $0.verdict == .unchanged }
    var omitted = 0
    if !shown.isEmpty {
      text += header
      for row in shown {
        let next = line(row)
        if text.utf8.count + next.utf8.count > limit - 4096 { omitted += 1 } else { text += next }
      }
      text += "\n"
    }
    if !folded.isEmpty {
      text += "<details><summary>\(folded.count) unchanged</summary>\n\n" + header
      for row in folded {
        let next = line(row)
        if text.utf8.count + next.utf8.count > limit - 1024 { omitted += 1 } else { text += next }
      }
      text += "\n</details>\n"
    }
    if omitted > 0 {
      text += "\n\(omitted) more rows left out to stay under 1 MiB; see compare.csv.\n"
    }
    return text
  }

  /// JUnit XML: one test case per case; a regression is a failure, an inconclusive or
  /// one-sided case is skipped, a case both sides ran but that cannot be compared is an error.
  public var junit: String {
    let failures = count(.regression)
    let errors = brokenRows.count
    let skipped = count(.inconclusive) + count(.incomparable) - errors
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml +=
      "<testsuites name=\"sepbench compare\" tests=\"\(rows.count)\" failures=\"\(failures)\""
      + " errors=\"\(errors)\" skipped=\"\(skipped)\">\n"
    xml +=
      "  <testsuite name=\"sepbench compare\" tests=\"\(rows.count)\" failures=\"\(failures)\""
      + " errors=\"\(errors)\" skipped=\"\(skipped)\">\n"
    for row in rows {
      let name = Self.xml(row.key.variantID)
      let className = Self.xml("\(row.key.suite).\(row.key.caseName)")
      let message = Self.xml(summary(row))
      xml += "    <testcase classname=\"\(className)\" name=\"\(name)\""
      switch row.verdict {
      case .regression:
        xml += ">\n      <failure type=\"regression\" message=\"\(message)\"/>\n    </testcase>\n"
      case .inconclusive:
        xml += ">\n      <skipped message=\"\(message)\"/>\n    </testcase>\n"
      case .incomparable where brokenRows.contains(row):
        xml += ">\n      <error type=\"incomparable\" message=\"\(message)\"/>\n    </testcase>\n"
      case .incomparable:
        xml += ">\n      <skipped message=\"\(message)\"/>\n    </testcase>\n"
      case .improvement, .unchanged:
        xml += ">\n      <system-out>\(message)</system-out>\n    </testcase>\n"
      }
    }
    xml += "  </testsuite>\n</testsuites>\n"
    return xml
  }

  /// At most `limit` GitHub Actions workflow commands: `::error` per regression, `::warning`
  /// per inconclusive or incomparable case, worst first.
  public func annotations(limit: Int = 10) -> [String] {
    rows.filter {
      $0.verdict == .regression || $0.verdict == .inconclusive || $0.verdict == .incomparable
    }
    .prefix(limit).map { row in
      let level = row.verdict == .regression ? "error" : "warning"
      let title = "sepbench \(row.verdict.rawValue)"
      let message = summary(row).replacingOccurrences(of: "%", with: "%25")
        .replacingOccurrences(of: "\n", with: "%0A")
      return "::\(level) title=\(title)::\(message)"
    }
  }

  /// One sentence about `row`.
  public func summary(_ row: CaseComparison) -> String {
    var text = "\(row.key.description): \(row.verdict.rawValue)"
    if let e = row.estimate {
      text +=
        ", \(Percent.signed(e.ratio)) [\(Percent.signed(e.low)), \(Percent.signed(e.high))]"
        + " against ±\(Percent.text(row.threshold))"
    }
    if !row.reason.isEmpty { text += " (\(row.reason))" }
    return text
  }

  private func ms(_ ns: Double) -> String { DecimalText.text(ns / 1e6, digits: 4) }

  /// True when the values compared are instruction counts, not times.
  var countsInstructions: Bool { metric.hasPrefix(MeasuredRun.instructionsPrefix) }

  /// A compared value as the tables show it: milliseconds, or whole instructions.
  private func value(_ x: Double) -> String {
    countsInstructions ? String(format: "%.0f", x) : ms(x)
  }

  /// The unit after a value in the markdown table.
  private var unit: String { countsInstructions ? " ins." : " ms" }
  private func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }

  private static func xml(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default:
        if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
          out += "?"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }
}
