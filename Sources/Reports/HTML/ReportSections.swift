import ConvKernels
import Foundation
import Harness

/// The sections of one result folder: machine and ceilings, roofline, separable against
/// standard, variants, thread scaling, where the separable block spends its time, counters,
/// and the cases that were not timed.
struct ReportSections {
  /// Position of the folder on the command line: ids of its charts start with `r<index>`.
  let index: Int
  let path: String
  let metadata: RunMetadata
  let rows: [ReportRow]

  /// An id prefix unique to this folder in the page.
  var prefix: String { "r\(index)" }

  var ok: [ReportRow] { rows.filter(\.isOK) }

  var html: String {
    var html = "<section><h2>\(escapeHTML(path))</h2>"
    if !metadata.completed {
      html +=
        "<p class=\"banner\" role=\"alert\">This run did not finish (meta.json says completed: false): it shows the cases measured before it stopped.</p>"
    }
    html +=
      machinesSideBySide + machine + roofline + separable + variants + threadScaling + separableTime
      + counters
    html += untimed
    return html + "</section>"
  }

  // MARK: Machine and ceilings

  var machine: String {
    let m = metadata.machine
    var rows: [[String]] = [
      ["CPU", m.cpuModel], ["logical cores", "\(m.logicalCores)"],
      [
        "caches",
        m.cacheBytes.keys.sorted().map { "\($0) \(ByteCount(m.cacheBytes[$0]!))" }
          .joined(separator: ", "),
      ],
      ["memory", "\(ByteCount(Int(m.memoryBytes)))"], ["OS", m.operatingSystem],
      ["virtual machine", m.virtualMachine ? "yes" : "no"], ["CPU features", m.cpuFeatures],
      ["toolchain", "Swift \(metadata.toolchain.swift), \(metadata.toolchain.configuration)"],
      ["git commit", metadata.gitCommit ?? "unknown"],
      ["started", metadata.startTime], ["ended", metadata.endTime ?? "did not end"],
      ["suite", metadata.plan.suite], ["command", metadata.commandLine.joined(separator: " ")],
    ]
    if let c = metadata.ceilings {
      rows += [
        [
          "FMA peak",
          "\(svgNumber(c.peakGFLOPSOneThread, 1)) GFLOP/s on 1 thread, "
            + "\(svgNumber(c.peakGFLOPSAllThreads, 1)) on \(c.threads)",
        ],
        [
          "memory bandwidth (triad)",
          "\(svgNumber(c.memoryGBPSOneThread, 1)) GB/s on 1 thread, "
            + "\(svgNumber(c.memoryGBPSAllThreads, 1)) on \(c.threads)",
        ],
        ["L2 bandwidth", "\(svgNumber(c.l2GBPSOneThread, 1)) GB/s on 1 thread"],
      ]
    } else {
      rows.append(["ceilings", "not measured (--no-ceilings)"])
    }
    return "<h3>Machine and ceilings</h3>" + htmlTable(["", "value"], rows)
  }

  // MARK: Machines side by side (a merge of several fingerprints)

  var machinesSideBySide: String {
    let ids = rows.reduce(into: [String]()) {
      if !$0.contains($1.machine) { $0.append($1.machine) }
    }
    guard ids.count > 1 else { return "" }
    let names = Dictionary(
      (metadata.machines ?? []).map { ($0.id, "\($0.machine.cpuModel) [\($0.id)]") },
      uniquingKeysWith: { a, _ in a })
    var groups: [ChartGroup] = []
    var table: [[String]] = []
    for (caseName, threads) in caseThreads {
      var bars: [ChartBar] = []
      for id in ids {
        let rows = okRows(caseName, threads).filter { $0.machine == id }
        guard let efficiency = separableSpeedup(rows, caseName)?.efficiency else { continue }
        bars.append((names[id] ?? id, efficiency, nil, nil, "sep_block"))
        table.append([caseName, "\(threads)", names[id] ?? id, svgNumber(efficiency, 3)])
      }
      if !bars.isEmpty { groups.append((groupName(caseName, threads), bars)) }
    }
    guard !groups.isEmpty else { return "" }
    return "<h3>Machines side by side</h3>"
      + barChart(
        id: "\(prefix)-machines", title: "Separable efficiency per machine",
        description:
          "Per case and thread count, one bar per machine of this merged folder: measured speedup of the separable block over the best direct standard block, divided by the speedup its MACs promise.",
        reading:
          "1 means the separable block is as much faster as its arithmetic says on that machine; the machines' compute-to-bandwidth balance moves it. The sections below mix the machines' rows, and the roofline draws the first machine's roofs.",
        unit: "efficiency", groups: groups,
        table: htmlTable(["case", "threads", "machine", "efficiency"], table))
  }

  // MARK: Roofline

  var roofline: String {
    let points = ok.filter { $0.intensity > 0 && ($0.gflops ?? 0) > 0 }
    guard !points.isEmpty else { return "<h3>Roofline</h3><p>No timed cases.</p>" }
    let c = metadata.ceilings
    let (left, right, top, bottom) = (60.0, 940.0, 30.0, 440.0)
    let peaks = c.map { [$0.peakGFLOPSOneThread, $0.peakGFLOPSAllThreads] } ?? []
    let xs = LogAxis(covering: points.map(\.intensity), from: left, to: right)
    let ys = LogAxis(
      covering: points.compactMap(\.gflops) + peaks.map { $0 * 1.5 }, from: bottom, to: top)
    var svg = ""
    for d in xs.decades {
      let x = xs.position(d)
      svg += "<path d=\"M\(svgNumber(x)) \(top)V\(bottom)\" stroke=\"#eee\"/>"
      svg +=
        "<text x=\"\(svgNumber(x))\" y=\"\(bottom + 15)\" text-anchor=\"middle\">\(svgNumber(d, 2))</text>"
    }
    for d in ys.decades {
      let y = ys.position(d)
      svg += "<path d=\"M\(left) \(svgNumber(y))H\(right)\" stroke=\"#eee\"/>"
      svg +=
        "<text x=\"\(left - 4)\" y=\"\(svgNumber(y + 4))\" text-anchor=\"end\">\(svgNumber(d, 2))</text>"
    }
    svg +=
      "<text x=\"\((left + right) / 2)\" y=\"\(bottom + 32)\" text-anchor=\"middle\">arithmetic intensity (FLOPs per minimum byte)</text>"
    svg +=
      "<text x=\"14\" y=\"\((top + bottom) / 2)\" transform=\"rotate(-90 14 \((top + bottom) / 2))\" text-anchor=\"middle\">GFLOP/s</text>"
    if let c {
      // Roofs: min(peak, bandwidth * intensity), for memory and L2, at 1 and all threads.
      for (peak, bandwidth, name, dash) in [
        (c.peakGFLOPSOneThread, c.memoryGBPSOneThread, "memory, 1 thread", ""),
        (c.peakGFLOPSAllThreads, c.memoryGBPSAllThreads, "memory, \(c.threads) threads", "6 3"),
        (c.peakGFLOPSOneThread, c.l2GBPSOneThread, "L2, 1 thread", "2 2"),
      ] {
        let knee = peak / bandwidth
        let x0 = xs.low
        let y0 = bandwidth * x0
        let path =
          "M\(svgNumber(xs.position(x0))) \(svgNumber(ys.position(y0)))"
          + "L\(svgNumber(xs.position(knee))) \(svgNumber(ys.position(peak)))H\(right)"
        svg +=
          "<path class=\"roof\" d=\"\(path)\" fill=\"none\" stroke=\"#000\" stroke-dasharray=\"\(dash)\"><title>\(escapeHTML("roof: \(name), \(svgNumber(bandwidth, 1)) GB/s and \(svgNumber(peak, 1)) GFLOP/s"))</title></path>"
      }
      svg +=
        "<text x=\"\(right - 4)\" y=\"\(svgNumber(ys.position(c.peakGFLOPSOneThread) - 4))\" text-anchor=\"end\">FMA peak, 1 thread</text>"
      svg +=
        "<text x=\"\(right - 4)\" y=\"\(svgNumber(ys.position(c.peakGFLOPSAllThreads) - 4))\" text-anchor=\"end\">FMA peak, \(c.threads) threads</text>"
    }
    for row in points {
      let r = 3.0 + Double(min(row.threads, 4))
      svg += OpStyle.marker(
        row.op, x: xs.position(row.intensity), y: ys.position(row.gflops!), r: r,
        filled: row.layout == "nhwc", cssClass: "point",
        title:
          "\(row.caseName) \(row.label): \(svgNumber(row.gflops!, 1)) GFLOP/s at \(svgNumber(row.intensity, 2)) FLOP/B"
      )
    }
    svg += OpStyle.legend(
      x: left, y: 16, ops: OpStyle.order.filter { op in points.contains { $0.op == op } })
    let table = htmlTable(
      ["case", "variant", "FLOP/B", "GFLOP/s", "% of peak"],
      points.map { row in
        let peak = c.map { row.threads > 1 ? $0.peakGFLOPSAllThreads : $0.peakGFLOPSOneThread }
        return [
          row.caseName, row.label, svgNumber(row.intensity, 2), svgNumber(row.gflops!, 2),
          peak.map { svgNumber(100 * row.gflops! / $0, 1) } ?? "",
        ]
      })
    return "<h3>Roofline</h3>"
      + figure(
        id: "\(prefix)-roofline", title: "Roofline: every timed case",
        description:
          "Log-log scatter of \(points.count) timed cases: arithmetic intensity against achieved GFLOP/s, with the measured FMA peaks and memory and L2 bandwidths as roofs.",
        reading:
          "Points under a sloped roof are limited by bandwidth, under the flat one by the FMA units; the nearer a roof, the better the kernel uses the machine. Winograd rows count direct-equivalent FLOPs and may pass the peak.",
        width: 980, height: 480, svg: svg, table: table)
  }

  // MARK: Separable against standard

  /// Best timed row of `op` in `rows` whose algorithm passes `filter`.
  func best(_ rows: [ReportRow], _ op: String, where filter: (ReportRow) -> Bool = { _ in true })
    -> ReportRow?
  {
    rows.filter { $0.op == op && filter($0) }.min { $0.median! < $1.median! }
  }

  /// Suite cases in file order, each with its thread counts.
  var caseThreads: [(caseName: String, threads: Int)] {
    var seen = Set<String>()
    var result: [(String, Int)] = []
    for row in ok where seen.insert("\(row.caseName)\u{0}\(row.threads)").inserted {
      result.append((row.caseName, row.threads))
    }
    return result
  }

  func okRows(_ caseName: String, _ threads: Int) -> [ReportRow] {
    ok.filter { $0.caseName == caseName && $0.threads == threads }
  }

  var separable: String {
    var groups: [ChartGroup] = []
    var table: [[String]] = []
    for (caseName, threads) in caseThreads {
      guard let s = separableSpeedup(okRows(caseName, threads), caseName) else { continue }
      var bars: [ChartBar] = []
      if let theory = s.theory {
        bars.append(("MACs: theoretical speedup", theory, nil, nil, "pw"))
      }
      bars.append(("measured against best direct", s.overDirect, nil, nil, "conv_block"))
      if s.any.algorithm != "direct" {
        bars.append(
          ("measured against best (\(s.any.algorithm))", s.overAny, nil, nil, "sep_block"))
      }
      groups.append((groupName(caseName, threads), bars))
      table.append([
        caseName, "\(threads)", s.theory.map { svgNumber($0, 2) } ?? "", s.direct.variantID,
        svgNumber(s.overDirect, 2), s.any.variantID, svgNumber(s.overAny, 2),
        s.efficiency.map { svgNumber($0, 2) } ?? "",
      ])
    }
    guard !groups.isEmpty else {
      return
        "<h3>Separable against standard</h3><p>No case timed both sep_block and conv_block.</p>"
    }
    return "<h3>Separable against standard</h3>"
      + barChart(
        id: "\(prefix)-separable", title: "Separable block speedup over the standard block",
        description:
          "Per case and thread count: the speedup the MAC ratio promises, the measured speedup over the best direct standard block, and over the best standard block of any algorithm where that is Winograd.",
        reading:
          "Where the measured bars reach the theoretical one, the separable block is as much faster as its arithmetic says; the Winograd bar is the honest baseline.",
        unit: "speedup (x)", groups: groups,
        table: htmlTable(
          [
            "case", "threads", "theoretical", "best direct", "speedup", "best any", "speedup",
            "efficiency",
          ],
          table))
  }

  /// The separable block against the standard block of one case and thread count: the best
  /// sep_block, the best direct and the best any-algorithm conv_block, and the MAC promise.
  struct SeparableSpeedup {
    let sep: ReportRow
    let direct: ReportRow
    let any: ReportRow
    /// 1 / MAC ratio, when the rows carry `macs`.
    let theory: Double?
    var overDirect: Double { direct.median! / sep.median! }
    var overAny: Double { any.median! / sep.median! }
    /// Measured speedup over the best direct standard block / the speedup the MACs promise.
    var efficiency: Double? { theory.map { overDirect / $0 } }
  }

  /// `SeparableSpeedup` of `rows` (timed rows of one case and thread count), or nil when
  /// they hold no sep_block or no direct conv_block.
  func separableSpeedup(_ rows: [ReportRow], _ caseName: String) -> SeparableSpeedup? {
    guard let sep = best(rows, "sep_block"),
      let direct = best(rows, "conv_block", where: { $0.algorithm == "direct" }),
      let any = best(rows, "conv_block")
    else { return nil }
    return SeparableSpeedup(
      sep: sep, direct: direct, any: any, theory: macRatio(caseName).map { 1 / $0 })
  }

  /// `case, N threads`: the heading of a case's bars.
  func groupName(_ caseName: String, _ threads: Int) -> String {
    "\(caseName), \(threads) thread\(threads > 1 ? "s" : "")"
  }

  /// MACs of sep_block / MACs of conv_block of a case, from the `macs` column when present.
  func macRatio(_ caseName: String) -> Double? {
    let flops = rows.filter { $0.caseName == caseName }
    guard let sep = flops.first(where: { $0.op == "sep_block" }),
      let std = flops.first(where: { $0.op == "conv_block" }), let s = sep.macs, let c = std.macs,
      c > 0
    else { return nil }
    return s / c
  }

  // MARK: Variants

  var variants: String {
    var html = "<h3>Variants</h3>"
    for op in OpStyle.order {
      let rows = ok.filter { $0.op == op }
      guard !rows.isEmpty else { continue }
      var order: [String] = []
      for row in rows where !order.contains(row.caseName) { order.append(row.caseName) }
      let groups = order.map { caseName in
        (
          name: caseName,
          bars: rows.filter { $0.caseName == caseName }.map { row in
            (
              label: row.label, value: row.gflops!, low: row.ciHigh.map { row.flops / $0 },
              high: row.ciLow.map { row.flops / $0 }, op: op
            )
          }
        )
      }
      html += barChart(
        id: "\(prefix)-variants-\(op)", title: "\(op): GFLOP/s of every variant",
        description:
          "For each case, one bar per timed \(op) variant (family, layout, ISA, threads), with the 95 % interval of the median as an error bar.",
        reading:
          "Longer is faster; bars of one case were timed round-robin, so they compare fairly.",
        unit: "GFLOP/s", barClass: "bar", groups: groups,
        table: htmlTable(
          ["case", "variant", "median ns", "GFLOP/s", "CI low ns", "CI high ns"],
          rows.map {
            [
              $0.caseName, $0.label, svgNumber($0.median!, 1), svgNumber($0.gflops!, 2),
              $0.ciLow.map { svgNumber($0, 1) } ?? "", $0.ciHigh.map { svgNumber($0, 1) } ?? "",
            ]
          }))
    }
    return html
  }

  // MARK: Thread scaling

  var threadScaling: String {
    var bars: [ChartBar] = []
    var table: [[String]] = []
    var seen = Set<String>()
    for row in ok where seen.insert("\(row.caseName)\u{0}\(row.op)").inserted {
      let sameCase = ok.filter { $0.caseName == row.caseName && $0.op == row.op }
      guard let one = best(sameCase.filter { $0.threads == 1 }, row.op) else { continue }
      for n in Set(sameCase.map(\.threads)).sorted() where n > 1 {
        let many = best(sameCase.filter { $0.threads == n }, row.op)!
        bars.append(
          ("\(row.caseName) \(row.op) \(n) threads", one.median! / many.median!, nil, nil, row.op))
        table.append([
          row.caseName, row.op, "\(n)", one.variantID, many.variantID,
          svgNumber(one.median! / many.median!, 2),
        ])
      }
    }
    guard !bars.isEmpty else {
      return "<h3>Thread scaling</h3><p>Only one thread count was run.</p>"
    }
    return "<h3>Thread scaling</h3>"
      + barChart(
        id: "\(prefix)-threads", title: "Speedup of N threads over 1",
        description:
          "Per case and operator: best time on 1 thread divided by best time on N threads.",
        reading: "N means perfect scaling; below 1, the extra threads cost more than they bring.",
        unit: "speedup (x)", groups: [("best 1-thread time / best N-thread time", bars)],
        table: htmlTable(["case", "op", "threads", "best on 1", "best on N", "speedup"], table))
  }

  // MARK: Where the separable block spends its time

  var separableTime: String {
    var bars: [ChartBar] = []
    var table: [[String]] = []
    for (caseName, threads) in caseThreads {
      let rows = okRows(caseName, threads)
      guard let dw = best(rows, "dw"), let pw = best(rows, "pw") else { continue }
      let share = dw.median! / (dw.median! + pw.median!)
      bars.append(("\(caseName) t\(threads): dw share", share, nil, nil, "dw"))
      let fused = best(rows, "sep_block", where: { $0.variant == "fused" })
      let unfused = best(rows, "sep_block", where: { $0.variant == "unfused" })
      var gain = ""
      if let fused, let unfused {
        bars.append(
          (
            "\(caseName) t\(threads): fusion gain", unfused.median! / fused.median!, nil, nil,
            "sep_block"
          ))
        gain = svgNumber(unfused.median! / fused.median!, 2)
      }
      table.append([caseName, "\(threads)", svgNumber(share, 2), gain])
    }
    guard !bars.isEmpty else { return "" }
    return "<h3>Where the separable block spends its time</h3>"
      + barChart(
        id: "\(prefix)-split", title: "Depthwise share and fusion gain",
        description:
          "Per case: best dw time over best dw + best pw time, and the best unfused sep_block time over the best fused one.",
        reading:
          "The depthwise part does a few per cent of the MACs; its share of the time shows how memory-bound it is. A fusion gain above 1 means skipping the intermediate tensor pays.",
        unit: "share or ratio", groups: [("", bars)],
        table: htmlTable(["case", "threads", "dw share", "fusion gain (unfused / fused)"], table))
  }

  // MARK: Counters

  var counters: String {
    let measured = ok.filter { !$0.metrics.isEmpty }
    if measured.isEmpty {
      var reasons =
        metadata.counters?.events.compactMap { e in
          e.reason.map { "\(e.event): \($0)" }
        } ?? []
      if reasons.isEmpty { reasons = ["no counter events were requested (--events none)"] }
      return "<h3>Counters</h3><p>No counter values in this run. Why, from meta.json:</p><ul>"
        + reasons.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>"
    }
    let columns = ReportInput.metricColumns
    return "<h3>Counters</h3>"
      + htmlTable(
        ["case", "variant"] + columns,
        measured.map { row in
          [row.caseName, row.label] + columns.map { row.metrics[$0].map { svgNumber($0, 3) } ?? "" }
        })
  }

  // MARK: Not timed

  var untimed: String {
    let rest = rows.filter { !$0.isOK }
    guard !rest.isEmpty else { return "" }
    return "<h3>Failed and skipped variants</h3>"
      + htmlTable(
        ["case", "variant", "status", "reason"],
        rest.map { [$0.caseName, $0.label, $0.status, $0.note] })
  }
}
