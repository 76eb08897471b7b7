import Foundation
import Harness

/// A finished result folder in Google Benchmark's JSON format (what a benchmark binary writes
/// with `--benchmark_format=json`, library 1.7), so the tools that read that format (its
/// `tools/compare.py`, Bencher, dashboards) read sepbench runs.
///
/// - One benchmark per timed case, named `<case>/<variant_id>` (`mbv1.b03/conv.direct-simd.nhwc.t2`).
/// - One `run_type: iteration` entry per timed sample, in sample order: `iterations` is the
///   kernel runs of the sample and `real_time` its ns per iteration. `repetitions` is the
///   sample count.
/// - Then the `mean`, `median` and `stddev` aggregates over the samples, as Google Benchmark
///   computes them.
/// - `cpu_time` repeats `real_time`: sepbench times wall-clock only, and consumers require the
///   field. Compare `real_time` (compare.py's "Time" columns).
/// - `context` holds the machine of `meta.json` plus `sepbench_*` fields for what Google
///   Benchmark has no name for.
public struct GBenchReport: Codable, Sendable, Equatable {
  public struct Cache: Codable, Sendable, Equatable {
    public var type: String
    public var level: Int
    public var size: Int
  }

  public struct Context: Codable, Sendable, Equatable {
    public var date: String
    public var hostName: String
    public var executable: String
    public var numCpus: Int
    public var caches: [Cache]
    public var libraryBuildType: String
    public var sepbenchCpuModel: String
    public var sepbenchGitCommit: String?
    public var sepbenchSuite: String
    public var sepbenchCompleted: Bool
  }

  public struct Benchmark: Codable, Sendable, Equatable {
    public var name: String
    public var familyIndex: Int
    public var perFamilyInstanceIndex: Int
    public var runName: String
    public var runType: String
    public var repetitions: Int
    public var repetitionIndex: Int?
    public var threads: Int
    public var aggregateName: String?
    public var aggregateUnit: String?
    public var iterations: Int
    public var realTime: Double
    public var cpuTime: Double
    public var timeUnit: String
  }

  public var context: Context
  public var benchmarks: [Benchmark]

  /// Reads the folder at `path` (its `meta.json` and `samples.csv`).
  public init(folder path: String) throws {
    let run = try MeasuredRun.read(path, allowIncomplete: true)
    guard !run.isBlocked else {
      throw GBenchExportError.blocked(path: path)
    }
    guard !run.countsInstructions else {
      throw GBenchExportError.notTimed(path: path)
    }
    let folder = ResultFolder(url: URL(fileURLWithPath: path))
    let meta = run.metadata
    let samples = try folder.readTable(ResultFolder.samplesFile)
    let file = URL(fileURLWithPath: path).appendingPathComponent(ResultFolder.samplesFile).path
    let column = try ["case", "op", "variant", "layout", "threads", "iters", "time_ns"].map {
      try samples.column($0, file: file)
    }
    var order: [String] = []
    var runs: [String: (threads: Int, samples: [(iterations: Int, time: Double)])] = [:]
    for (index, row) in samples.rows.enumerated() {
      let threads = Int(row[column[4]]) ?? 0
      guard threads >= 1, let iterations = Int(row[column[5]]), iterations >= 1,
        let time = Double(row[column[6]]), time.isFinite, time > 0
      else {
        throw CSVError.badNumber(
          column: "threads, iters or time_ns",
          value: row[column[4]...column[6]].joined(separator: ","),
          line: index + 2)
      }
      let id =
        "\(row[column[1]]).\(row[column[2]]).\(row[column[3]])"
        + (threads > 1 ? ".t\(threads)" : "")
      let name = "\(row[column[0]])/\(id)"
      if runs[name] == nil { order.append(name) }
      runs[name, default: (threads, [])].samples.append((iterations, time))
    }
    context = Context(
      date: meta.startTime, hostName: meta.machine.hostname, executable: "sepbench",
      numCpus: meta.machine.logicalCores,
      caches: meta.machine.cacheBytes.keys.sorted().compactMap { Self.cache($0, meta.machine) },
      libraryBuildType: meta.toolchain.configuration, sepbenchCpuModel: meta.machine.cpuModel,
      sepbenchGitCommit: meta.gitCommit, sepbenchSuite: meta.plan.suite,
      sepbenchCompleted: meta.completed)
    benchmarks = order.enumerated().flatMap { family, name in
      Self.benchmarks(name: name, family: family, run: runs[name]!)
    }
  }

  /// `L1d`, `L2` … of `meta.json` as Google Benchmark's cache entries.
  private static func cache(_ name: String, _ machine: MachineInfo) -> Cache? {
    guard name.hasPrefix("L"), let level = Int(name.dropFirst().prefix(while: \.isNumber)) else {
      return nil
    }
    let type = name.hasSuffix("d") ? "Data" : name.hasSuffix("i") ? "Instruction" : "Unified"
    return Cache(type: type, level: level, size: machine.cacheBytes[name] ?? 0)
  }

  /// The sample entries of one case, then its aggregates.
  private static func benchmarks(
    name: String, family: Int, run: (threads: Int, samples: [(iterations: Int, time: Double)])
  ) -> [Benchmark] {
    let n = run.samples.count
    let times = run.samples.map(\.time)
    func entry(_ type: String, index: Int?, aggregate: String?, iterations: Int, time: Double)
      -> Benchmark
    {
      Benchmark(
        name: aggregate.map { "\(name)_\($0)" } ?? name, familyIndex: family,
        perFamilyInstanceIndex: 0, runName: name, runType: type, repetitions: n,
        repetitionIndex: index, threads: run.threads, aggregateName: aggregate,
        aggregateUnit: aggregate == nil ? nil : "time", iterations: iterations, realTime: time,
        cpuTime: time, timeUnit: "ns")
    }
    let statistics = SampleStatistics(times)
    return run.samples.enumerated().map { index, sample in
      entry(
        "iteration", index: index, aggregate: nil, iterations: sample.iterations, time: sample.time)
    } + [
      entry("aggregate", index: nil, aggregate: "mean", iterations: n, time: statistics.mean),
      entry("aggregate", index: nil, aggregate: "median", iterations: n, time: statistics.median),
      entry(
        "aggregate", index: nil, aggregate: "stddev", iterations: n,
        time: statistics.standardDeviation),
    ]
  }

  /// The JSON text, keys in Google Benchmark's snake case, sorted, pretty-printed.
  public var json: String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding plain structs of strings and numbers cannot fail.
    let data = try! encoder.encode(self)
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

/// Why a folder cannot be exported.
public enum GBenchExportError: Error, CustomStringConvertible, Equatable {
  /// A folder of block folders (`sepbench ab`), not one run.
  case blocked(path: String)
  /// A run of `--metric instructions`, which has no times.
  case notTimed(path: String)

  public var description: String {
    switch self {
    case .blocked(let path):
      "\(path) holds block folders (an A/B session); export one block, e.g. \(path)/block-001"
    case .notTimed(let path):
      "\(path) counted instructions (--metric instructions); gbench-json needs a timed run"
    }
  }
}
