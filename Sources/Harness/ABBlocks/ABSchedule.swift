import ConvKernels

/// Which build runs first in each pair of blocks: ABBA order (BASE HEAD, HEAD BASE, ...) so
/// that a slow drift over the session weighs on both sides alike, with the side that starts
/// drawn from a seed.
public struct ABSchedule: Sendable, Equatable {
  /// `true` when pair i runs HEAD first.
  public let headFirst: [Bool]

  /// The order of `pairs` pairs for `seed`.
  public init(pairs: Int, seed: UInt64) {
    var generator = SplitMix64(seed: seed)
    let startWithHead = generator.next() & 1 == 1
    headFirst = (0..<pairs).map { ($0 % 2 == 1) != startWithHead }
  }

  /// The sides of pair `index` in the order they run.
  public func order(ofPair index: Int) -> [ABSide] {
    headFirst[index] ? [.head, .base] : [.base, .head]
  }
}

/// One of the two builds of an A/B comparison.
public enum ABSide: String, Sendable, Codable, CaseIterable {
  case base, head
}

/// How the two blocks of an A/B pair share the machine.
public enum ABInterleaving: Sendable, Equatable {
  /// One block after the other.
  case blocks
  /// Both blocks alive at once, taking turns one timed sample at a time (`TurnTaking`),
  /// both pinned to `pinCPU` when it is set.
  case rounds(pinCPU: Int?)

  /// `blocks` or `rounds`, as `ab.json` records it.
  public var name: String {
    switch self {
    case .blocks: "blocks"
    case .rounds: "rounds"
    }
  }

  /// The CPU both runs were pinned to, if any.
  public var pinnedCPU: Int? {
    if case .rounds(let cpu) = self { cpu } else { nil }
  }
}
