import Foundation
import Harness

/// One case of a regression comparison: the estimate, the band it was judged against, the
/// verdict and why.
public struct CaseComparison: Sendable, Equatable {
  public var key: CaseKey
  /// Nil when the case could not be estimated (incomparable).
  public var estimate: RatioEstimate?
  /// The band T this case was judged against (after rules and the noise floor).
  public var threshold: Double
  public var verdict: Verdict
  /// Why: the reason of an incomparable row, or what changed T, or "".
  public var reason: String
  /// True for a case only one side ran (incomparable, but no sign of a broken build).
  public var oneSided = false
}

/// Settings of a comparison.
public struct RegressionOptions: Sendable {
  /// T for every case, overriding the default (5 % paired, 10 % unpaired); rules win over it.
  public var threshold: Double?
  public var rules = ThresholdRules()
  /// A/A noise per case (`sepbench calibrate`); T becomes max(T, noiseFactor x noise).
  public var noiseFloor: NoiseFloor?
  public var noiseFactor = 1.5
  /// Pair block i of BASE with block i of HEAD when both sides are folders of as many blocks.
  public var pairBlocks = true
  /// Compare across machine fingerprints, as an advisory report.
  public var allowDifferentMachines = false
  /// Exit 1 on inconclusive cases too.
  public var strict = false
  public var estimator = RatioEstimator()
  /// A pair whose processes differ by more than this over all cases (in log terms, and more
  /// than 3 robust deviations of such shifts) is left out as disturbed (default 0.05).
  public var disturbedPairShift = 0.05

  public init() {}
}

/// The result of comparing HEAD with BASE, case by case, worst first.
public struct RegressionReport: Sendable {
  public var basePath: String
  public var headPath: String
  public var rows: [CaseComparison]
  public var paired: Bool
  /// The fingerprint differences accepted with `--allow-different-machines` (empty when the
  /// machines match): every verdict is then advisory.
  public var machineDifferences: [String]
  public var strict: Bool
  /// Pairs left out because one process ran every case off (0-based index: HEAD/BASE - 1).
  public var disturbedPairs: [Int: Double] = [:]
  public var metric = "time"
  /// Median steal per block of each side (`MeasuredRun.medianStealPercent`).
  public var baseStealPercent: Double?
  public var headStealPercent: Double?

  public func count(_ verdict: Verdict) -> Int { rows.filter { $0.verdict == verdict }.count }

  /// This report with every case that `earlier` had decided (anything but inconclusive) kept
  /// as `earlier` judged it: later looks may only decide the cases still undecided.
  public func keepingDecided(from earlier: RegressionReport) -> RegressionReport {
    var decided: [CaseKey: CaseComparison] = [:]
    for row in earlier.rows where row.verdict != .inconclusive { decided[row.key] = row }
    var copy = self
    copy.rows = rows.map { decided[$0.key] ?? $0 }
    return copy
  }

  /// Cases both sides ran that still cannot be compared (failed validation, another shape).
  public var brokenRows: [CaseComparison] {
    rows.filter { $0.verdict == .incomparable && !$0.oneSided }
  }

  /// 0 no regression, 1 a regression (with `strict`, also an inconclusive case), 2 a case
  /// both sides ran that cannot be compared. A case only one side ran is reported as
  /// incomparable without failing the check: adding a variant is not a regression. An
  /// advisory report (different machines) gates nothing: 0 unless a case is broken.
  public var exitStatus: Int32 {
    if !brokenRows.isEmpty { return 2 }
    if !machineDifferences.isEmpty { return 0 }
    if count(.regression) > 0 { return 1 }
    if strict && count(.inconclusive) > 0 { return 1 }
    return 0
  }
}

/// Compares two measured runs case by case (DESIGN principle 7: a verdict says when it cannot
/// tell).
///
/// **How false alarms are budgeted over a suite.** A case is a `regression` only when the
/// whole 99 % interval of HEAD/BASE lies above 1 + T. Under no change the point estimate must
/// then be off by more than T *and* by more than its own interval, so the band, wider than
/// the noise, does the work a multiple-comparison correction would: in the seeded noise model
/// of the tests (120 cases, 20 paired blocks), 100 suite-wide A/A comparisons raise no false
/// regression, while a real 10 % slowdown is flagged in at least 95 % of cases. Cases noisier
/// than T allows stay `inconclusive` rather than guessing; `calibrate` widens their band.
public enum RegressionCheck {
  public static func compare(
    base: MeasuredRun, head: MeasuredRun, options: RegressionOptions = RegressionOptions()
  ) throws -> RegressionReport {
    // A side written before the `isa` column is matched on the other columns.
    var (base, head) = (base, head)
    if base.namesISA != head.namesISA {
      (base, head) = (base.withoutISA(), head.withoutISA())
    }
    let differences = fingerprintDifferences(base, head)
    if !differences.isEmpty && !options.allowDifferentMachines {
      throw RegressionInputError.differentMachines(differences: differences)
    }
    guard let metric = base.metric, let headMetric = head.metric, metric == headMetric else {
      throw RegressionInputError.differentMetrics(
        base: base.metric ?? "several metrics", head: head.metric ?? "several metrics")
    }
    let keys = base.cases.union(head.cases).sorted()
    guard !base.cases.isDisjoint(with: head.cases) else {
      throw RegressionInputError.nothingInCommon(base: base.path, head: head.path)
    }
    let pairing =
      !base.countsInstructions && options.pairBlocks && MeasuredRun.wereRunAlternately(base, head)
      && base.blocks.count == head.blocks.count
      && base.blocks.count >= options.estimator.minimumPairs
    let disturbed = pairing ? disturbedPairs(base, head, options) : [:]
    let kept = base.blocks.indices.filter { disturbed[$0] == nil }
    var rows = keys.map { key in
      compareCase(key, base, head, pairing: pairing, keptPairs: kept, options)
    }
    if !differences.isEmpty {
      for index in rows.indices {
        let note = rows[index].reason
        rows[index].reason = "advisory: different machines" + (note.isEmpty ? "" : "; " + note)
      }
    }
    rows.sort { a, b in
      if a.verdict != b.verdict { return a.verdict < b.verdict }
      let (x, y) = (a.estimate?.ratio ?? 0, b.estimate?.ratio ?? 0)
      return x != y ? x > y : a.key < b.key
    }
    return RegressionReport(
      basePath: base.path, headPath: head.path, rows: rows, paired: pairing,
      machineDifferences: differences, strict: options.strict, disturbedPairs: disturbed,
      metric: metric, baseStealPercent: base.medianStealPercent,
      headStealPercent: head.medianStealPercent)
  }

  /// Pairs in which one process ran every case faster or slower than its partner: the median
  /// over all cases of the pair's log ratio lies more than max(`disturbedPairShift`, 3 robust
  /// deviations) from the median over pairs. On shared guests a process sometimes loses its
  /// vCPU for seconds and runs everything 20 to 60 % slow (seen on a Zen 3 guest); such a pair
  /// says nothing about the change. A change that slows every case shifts every pair alike and
  /// is kept. Keys are 0-based pair indices, values the pair's shift (HEAD/BASE - 1).
  static func disturbedPairs(
    _ base: MeasuredRun, _ head: MeasuredRun, _ options: RegressionOptions
  ) -> [Int: Double] {
    let shifts = zip(base.blocks, head.blocks).map { b, h -> Double? in
      let d = b.samples.keys.compactMap { key -> Double? in
        guard let x = b.samples[key], let y = h.samples[key] else { return nil }
        return log(RatioEstimator.median(y)) - log(RatioEstimator.median(x))
      }
      return d.isEmpty ? nil : RatioEstimator.median(d)
    }
    let known = shifts.compactMap { $0 }
    guard known.count >= options.estimator.minimumPairs else { return [:] }
    let centre = RatioEstimator.median(known)
    let spread = 1.4826 * RatioEstimator.median(known.map { abs($0 - centre) })
    let limit = max(options.disturbedPairShift, 3 * spread)
    var out: [Int: Double] = [:]
    for (index, shift) in shifts.enumerated() {
      if let shift, abs(shift - centre) > limit { out[index] = exp(shift) - 1 }
    }
    // Never leave fewer pairs than the paired interval needs.
    if shifts.count - out.count < options.estimator.minimumPairs { return [:] }
    return out
  }

  private static func compareCase(
    _ key: CaseKey, _ base: MeasuredRun, _ head: MeasuredRun, pairing: Bool, keptPairs: [Int],
    _ options: RegressionOptions
  ) -> CaseComparison {
    func incomparable(_ reason: String) -> CaseComparison {
      CaseComparison(key: key, estimate: nil, threshold: 0, verdict: .incomparable, reason: reason)
    }
    let inBase = base.blocks.contains { $0.samples[key] != nil }
    let inHead = head.blocks.contains { $0.samples[key] != nil }
    let failedBase = base.blocks.contains { $0.status[key] == "failed" }
    let failedHead = head.blocks.contains { $0.status[key] == "failed" }
    if failedBase || failedHead {
      let side = failedBase && failedHead ? "both" : failedBase ? "BASE" : "HEAD"
      return incomparable("failed validation in \(side)")
    }
    // Measured on one side and skipped on the other (a CPU feature no longer detected, a
    // shape no longer supported): a broken build, not a new variant.
    let skippedBase = base.blocks.contains { $0.status[key] == "skipped" }
    let skippedHead = head.blocks.contains { $0.status[key] == "skipped" }
    if inBase && !inHead && skippedHead {
      return incomparable("skipped in HEAD (its results.csv note says why)")
    }
    if inHead && !inBase && skippedBase {
      return incomparable("skipped in BASE (its results.csv note says why)")
    }
    if !inBase || !inHead {
      var row = incomparable(inBase ? "only in BASE" : "only in HEAD")
      row.oneSided = true
      return row
    }
    let baseShape = base.blocks.lazy.compactMap { $0.shapes[key.caseName] }.first
    let headShape = head.blocks.lazy.compactMap { $0.shapes[key.caseName] }.first
    if let baseShape, let headShape, baseShape != headShape {
      return incomparable("shape differs: \(baseShape) in BASE, \(headShape) in HEAD")
    }
    if base.countsInstructions {
      return compareCounts(key, base, head, options)
    }
    var notes: [String] = []
    var baseBlocks: [[Double]]
    var headBlocks: [[Double]]
    var paired = pairing
    if pairing {
      let pairs = keptPairs.compactMap { index -> ([Double], [Double])? in
        guard let x = base.blocks[index].samples[key], let y = head.blocks[index].samples[key]
        else { return nil }
        return (x, y)
      }
      baseBlocks = pairs.map(\.0)
      headBlocks = pairs.map(\.1)
      if pairs.count < keptPairs.count {
        notes.append("\(pairs.count) of \(keptPairs.count) pairs hold the case")
      }
      if pairs.count < options.estimator.minimumPairs {
        paired = false
        notes.append("too few pairs: pooled")
      }
    } else {
      baseBlocks = base.blocks.compactMap { $0.samples[key] }
      headBlocks = head.blocks.compactMap { $0.samples[key] }
    }
    if !paired && pairing {
      baseBlocks = base.blocks.compactMap { $0.samples[key] }
      headBlocks = head.blocks.compactMap { $0.samples[key] }
    }
    let estimate = options.estimator.estimate(
      base: baseBlocks, head: headBlocks, paired: paired, seed: key.seed)
    var threshold =
      options.rules.threshold(for: key) ?? options.threshold
      ?? (estimate.paired ? RegressionThreshold.pairedDefault : RegressionThreshold.unpairedDefault)
    if let noise = options.noiseFloor?.noise(for: key), options.noiseFactor * noise > threshold {
      threshold = options.noiseFactor * noise
      notes.append(
        "T raised to \(Percent.text(threshold)) by the noise floor (A/A ±\(Percent.text(noise)))")
    }
    var verdict = Verdict.decide(estimate, threshold: threshold)
    if estimate.paired, let disagreement = pooledDisagreement(estimate, verdict, threshold) {
      verdict = .inconclusive
      notes.append(disagreement)
    }
    return CaseComparison(
      key: key, estimate: estimate, threshold: threshold, verdict: verdict,
      reason: notes.joined(separator: "; "))
  }

  /// A case of instruction counts: one count per block on each side, so the ratio of the
  /// median counts with, as its interval, the extremes of HEAD/BASE over every block of each
  /// side (a single point when the counts repeat). T defaults to 1 %.
  private static func compareCounts(
    _ key: CaseKey, _ base: MeasuredRun, _ head: MeasuredRun, _ options: RegressionOptions
  ) -> CaseComparison {
    let x = base.blocks.compactMap { $0.samples[key] }.flatMap { $0 }
    let y = head.blocks.compactMap { $0.samples[key] }.flatMap { $0 }
    let (baseMedian, headMedian) = (RatioEstimator.median(x), RatioEstimator.median(y))
    let estimate = RatioEstimate(
      ratio: headMedian / baseMedian, low: y.min()! / x.max()!, high: y.max()! / x.min()!,
      level: 1, paired: false, baseSamples: x.count, headSamples: y.count,
      blocks: max(base.blocks.count, head.blocks.count), baseMedian: baseMedian,
      headMedian: headMedian, pValue: nil)
    let threshold =
      options.rules.threshold(for: key) ?? options.threshold
      ?? RegressionThreshold.instructionsDefault
    var notes: [String] = []
    if x.min() != x.max() || y.min() != y.max() {
      notes.append("counts vary between blocks: the interval spans them")
    }
    return CaseComparison(
      key: key, estimate: estimate, threshold: threshold,
      verdict: Verdict.decide(estimate, threshold: threshold),
      reason: notes.joined(separator: "; "))
  }

  /// Why a paired regression or improvement is not believed: the ratio of the pooled medians
  /// of all samples does not lie beyond half the band in the same direction. On a Zen 3 guest
  /// whose whole processes ran 15 to 35 % off, the Hodges-Lehmann estimate of 14 pairs said
  /// +12.7 % ([+5.5 %, +20.4 %]) for a kernel the change did not touch, while the pooled
  /// medians differed by 0.7 %. A real change moves both.
  package static func pooledDisagreement(
    _ e: RatioEstimate, _ verdict: Verdict, _ threshold: Double
  )
    -> String?
  {
    let pooled = e.headMedian / e.baseMedian
    let half = 1 + threshold / 2
    switch verdict {
    case .regression where pooled <= half, .improvement where pooled >= 1 / half:
      return "paired estimate \(Percent.signed(e.ratio)) but pooled medians "
        + "\(Percent.signed(pooled)): disturbed blocks, not a change"
    default:
      return nil
    }
  }

  /// Differences between the fingerprints of the two sides (and within a side); a missing
  /// fingerprint is a difference, since nothing says the machines match. When a side was
  /// written by another tool (a peer such as ONNX Runtime), only the machine must match.
  static func fingerprintDifferences(_ base: MeasuredRun, _ head: MeasuredRun) -> [String] {
    let all = (base.blocks + head.blocks)
    let machineOnly = all.contains { $0.metadata.tool != "sepbench" }
    guard let first = all.first?.metadata.fingerprint else {
      return ["no machine fingerprint in \(base.path) (made by an older sepbench)"]
    }
    for block in all {
      guard let print = block.metadata.fingerprint else {
        return ["no machine fingerprint in \(block.path) (made by an older sepbench)"]
      }
      let found = first.differences(from: print, machineOnly: machineOnly)
      if !found.isEmpty { return found }
    }
    return []
  }
}

/// Percentages for people: `+12.3%`, `-4.0%`, `5%`.
enum Percent {
  static func text(_ fraction: Double) -> String {
    DecimalText.text(fraction * 100, digits: 1) + "%"
  }

  static func signed(_ ratio: Double) -> String {
    let change = (ratio - 1) * 100
    return (change >= 0 ? "+" : "") + DecimalText.text(change, digits: 1) + "%"
  }
}
