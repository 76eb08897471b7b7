import Foundation
import Harness

/// The folder of an A/B comparison and the pairs run into it so far:
/// `ROOT/base/block-NNN`, `ROOT/head/block-NNN` (result folders), `ROOT/logs/` (each child's
/// output) and `ROOT/ab.json` (binaries, arguments, order), then `ROOT/compare.csv`.
public struct ABSession: Sendable {
  public let root: URL
  public let arguments: [String]
  public let seed: UInt64
  /// Finished pairs.
  public private(set) var pairs = 0

  /// Creates `root` (refusing one that already holds blocks) with its subfolders.
  public init(root path: String, arguments: [String], seed: UInt64) throws {
    root = URL(fileURLWithPath: path)
    self.arguments = arguments
    self.seed = seed
    let fm = FileManager.default
    if fm.fileExists(atPath: root.appendingPathComponent("base").path)
      || fm.fileExists(atPath: root.appendingPathComponent("head").path)
    {
      throw FileError.unwritable(
        path: path, reason: "it already holds the blocks of an A/B run; name a new --out folder")
    }
    _ = try ResultFolder.create(at: path)
    for folder in ["base", "head", "logs"] {
      _ = try ResultFolder.create(at: root.appendingPathComponent(folder).path)
    }
  }

  /// `block-001` for index 0: the name of a block folder, which `MeasuredRun` reads in name
  /// order.
  public static func blockName(_ index: Int) -> String { String(format: "block-%03d", index + 1) }

  /// The folder of `side`'s block of pair `index` (0-based).
  public func blockFolder(_ side: ABSide, pair index: Int) -> URL {
    root.appendingPathComponent(side.rawValue)
      .appendingPathComponent(Self.blockName(index))
  }

  /// Runs the next pair in ABBA order: with `.rounds`, both blocks at once taking turns
  /// (the side the order names first has the first turn), otherwise one after the other.
  /// After the first pair, a build whose `run` takes `--no-preflight` (`skipsPreflight`)
  /// skips the random-problem check it already passed; every shape is still validated
  /// before it is timed. On failure the half-finished pair is removed, so the folder always
  /// holds whole pairs.
  public mutating func runPair(
    base: BlockRunner, head: BlockRunner, skipsPreflight: Set<ABSide> = [],
    interleaving: ABInterleaving = .blocks, stopRequested: () -> Bool = { false }
  ) throws {
    let index = pairs
    let order = ABSchedule(pairs: index + 1, seed: seed).order(ofPair: index)
    let runners: [ABSide: BlockRunner] = [.base: base, .head: head]
    func block(_ side: ABSide) -> (arguments: [String], folder: String, log: String) {
      let folder = blockFolder(side, pair: index)
      let log = root.appendingPathComponent("logs")
        .appendingPathComponent("\(side.rawValue)-\(folder.lastPathComponent).log")
      let skip = index > 0 && skipsPreflight.contains(side)
      return (arguments + (skip ? ["--no-preflight"] : []), folder.path, log.path)
    }
    do {
      switch interleaving {
      case .blocks:
        for side in order {
          let (arguments, folder, log) = block(side)
          try runners[side]!.run(arguments: arguments, folder: folder, log: log)
        }
      case .rounds(let pinCPU):
        let fifos = try TurnFIFOs()
        defer { fifos.remove() }
        let blocks = zip(TurnTaking.Role.allCases, order).map { role, side in
          var (arguments, folder, log) = block(side)
          arguments += ["--turn-fifos", fifos.channel(role).argument]
          if let pinCPU { arguments += ["--pin-cpu", String(pinCPU)] }
          return (side, arguments, folder, log)
        }
        try BlockRunner.runTogether(
          blocks.map { (runners[$0.0]!, $0.1, $0.2, $0.3) }, fifos: fifos,
          stopRequested: stopRequested)
      }
    } catch {
      for side in ABSide.allCases {
        try? FileManager.default.removeItem(at: blockFolder(side, pair: index))
      }
      throw error
    }
    pairs += 1
    try writeManifest(base: base.binary, head: head.binary, interleaving: interleaving)
  }

  /// Compares the pairs run so far.
  public func compare(_ options: RegressionOptions) throws -> RegressionReport {
    let baseRun = try MeasuredRun.read(root.appendingPathComponent("base").path)
    let headRun = try MeasuredRun.read(root.appendingPathComponent("head").path)
    return try RegressionCheck.compare(base: baseRun, head: headRun, options: options)
  }

  private func writeManifest(
    base: String, head: String, interleaving: ABInterleaving
  ) throws {
    struct Manifest: Codable {
      var base: String
      var head: String
      var interleaving: String
      var pinnedCPU: Int?
      var arguments: [String]
      var orderSeed: UInt64
      var pairs: Int
      var order: [String]
    }
    let schedule = ABSchedule(pairs: pairs, seed: seed)
    let manifest = Manifest(
      base: base, head: head, interleaving: interleaving.name, pinnedCPU: interleaving.pinnedCPU,
      arguments: arguments, orderSeed: seed, pairs: pairs,
      order: schedule.headFirst.map { $0 ? "head,base" : "base,head" })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let text = String(decoding: try encoder.encode(manifest), as: UTF8.self) + "\n"
    try AtomicFile.write(text, to: root.appendingPathComponent("ab.json"))
  }
}
