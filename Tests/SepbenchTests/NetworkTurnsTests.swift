import Foundation
import TestSupport
import Testing

/// `sepbench network --turn-fifos` against the Python side of the protocol
/// (`Scripts/peers/turns.py`, what the ONNX Runtime peer uses): the two take turns, one round
/// of passes each, and each counts the turns it handed over.
@Suite struct NetworkTurnsTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// A stand-in peer: takes the second role, hands every turn back until sepbench has gone,
  /// then prints how many turns it passed.
  static let peer = """
    import sys
    sys.path.insert(0, sys.argv[1])
    from turns import TurnTaking
    channel = TurnTaking(sys.argv[2])
    while not channel.alone:
        channel.pass_turn()
    print(channel.turns_passed)
    """

  /// What one `sepbench network --turn-fifos` run beside a stand-in peer left behind.
  struct Turns {
    let sepbench: SepbenchOutput
    let peer: ScriptProcess.Output
    /// The run's meta.json, nil when it wrote none.
    let meta: [String: Any]?
  }

  /// Runs the Python `peer` program (with the arguments `peerArguments` makes of the two FIFO
  /// paths) beside a small `sepbench network` in `role`, both on one pair of FIFOs.
  static func takeTurns(
    peer: String, peerArguments: (String, String) -> [String], role: String, repetitions: Int
  ) throws -> Turns {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let toSecond = scratch.appendingPathComponent("to-second").path
    let toFirst = scratch.appendingPathComponent("to-first").path
    try #require(mkfifo(toSecond, 0o600) == 0 && mkfifo(toFirst, 0o600) == 0)
    let script = scratch.appendingPathComponent("peer.py")
    try peer.write(to: script, atomically: true, encoding: .utf8)

    let peerRun = PeerRun()
    let arguments = ["python3", script.path] + peerArguments(toSecond, toFirst)
    Thread { peerRun.finish(try? ScriptProcess.run("/usr/bin/env", arguments)) }.start()
    let out = scratch.appendingPathComponent("net")
    let result = try SepbenchProcess.run([
      "network", "mobilenet-v1", "--width", "0.25", "--resolution", "32", "--repetitions",
      "\(repetitions)", "--warm-up", "1ms", "--twin", "none", "--turn-fifos",
      "\(role),\(toSecond),\(toFirst)", "--out", out.path,
    ])
    let peerOutput = try #require(peerRun.wait())
    let meta = (try? Data(contentsOf: out.appendingPathComponent("meta.json"))).flatMap {
      try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
    }
    return Turns(sepbench: result, peer: peerOutput, meta: meta)
  }

  @Test(.timeLimit(.minutes(2))) func sepbenchAndThePythonPeerTakeOneTurnPerRound() throws {
    let turns = try Self.takeTurns(
      peer: Self.peer,
      peerArguments: {
        [Self.root.appendingPathComponent("Scripts/peers").path, "second,\($0),\($1)"]
      }, role: "first", repetitions: 4)
    #expect(turns.sepbench.exitCode == 0, "\(turns.sepbench.stderr)")
    #expect(turns.peer.status == 0, "\(turns.peer.stderr)")
    // sepbench hands over after each of its 4 rounds; the peer after each turn it received.
    #expect(turns.peer.stdout == "4\n")
    #expect(turns.meta?["turnsPassed"] as? Int == 4)
    #expect(turns.meta?["cpuSecondsWhileWaiting"] is Double)
  }

  /// A peer that hands over the first turn and is gone before sepbench hands it back: the
  /// write to the FIFO nobody reads fails with EPIPE, and sepbench goes on alone (SIGPIPE is
  /// ignored) instead of dying of the signal.
  @Test(.timeLimit(.minutes(2))) func sepbenchGoesOnAloneWhenThePeerHasGone() throws {
    // The first role, by hand: it stops reading before it hands over the first turn.
    let peer = """
      import os, sys
      to_second = os.open(sys.argv[1], os.O_WRONLY)
      to_first = os.open(sys.argv[2], os.O_RDONLY)
      os.close(to_first)
      os.write(to_second, bytes([1, 0]))
      os.close(to_second)
      """
    let turns = try Self.takeTurns(
      peer: peer, peerArguments: { [$0, $1] }, role: "second", repetitions: 3)
    #expect(turns.sepbench.exitCode == 0, "\(turns.sepbench.stderr)")
    #expect(turns.peer.status == 0)
    #expect(turns.meta?["turnsPassed"] as? Int == 0)
  }

  /// sepbench joins the turns before its tuning: as second it waits for the peer's first turn,
  /// so its tuning never runs beside the peer's set-up. The stand-in peer takes 2 s of
  /// "set-up" after opening the FIFOs, then leaves without handing over a turn; sepbench's run
  /// (its `startTime`, taken before the tuning) starts only after that.
  @Test(.timeLimit(.minutes(2))) func sepbenchTunesOnlyOnceThePeerIsReady() throws {
    let peer = """
      import os, sys, time
      to_second = os.open(sys.argv[1], os.O_WRONLY)
      to_first = os.open(sys.argv[2], os.O_RDONLY)
      time.sleep(2)
      print(int(time.time()))
      """
    let turns = try Self.takeTurns(
      peer: peer, peerArguments: { [$0, $1] }, role: "second", repetitions: 3)
    #expect(turns.sepbench.exitCode == 0, "\(turns.sepbench.stderr)")
    let peerReady = try #require(
      TimeInterval(turns.peer.stdout.trimmingCharacters(in: .newlines)))
    let start = try #require(
      (turns.meta?["startTime"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
    // Whole seconds on both sides: the peer printed the second it left, floored.
    #expect(start.timeIntervalSince1970 >= peerReady, "\(start) before the peer was ready")
  }

  @Test func aMalformedChannelIsBadInput() throws {
    let result = try SepbenchProcess.run([
      "network", "mobilenet-v1", "--width", "0.25", "--resolution", "32", "--turn-fifos",
      "third,a,b",
    ])
    #expect(result.exitCode == 2)
    #expect(
      result.stderr.contains(
        "--turn-fifos third,a,b is not allowed; use ROLE,TO_SECOND,TO_FIRST with ROLE first or second"
      ), "\(result.stderr)")
  }
}

/// The stand-in peer's output, handed from its thread to the test.
private final class PeerRun: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var output: ScriptProcess.Output?

  func finish(_ output: ScriptProcess.Output?) {
    self.output = output
    done.signal()
  }

  /// The output once the peer has exited (nil when it could not be started).
  func wait() -> ScriptProcess.Output? {
    done.wait()
    return output
  }
}
