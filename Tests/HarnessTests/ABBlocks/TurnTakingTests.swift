import ConvKernels
import Foundation
import Harness
import Synchronization
import Testing

/// Shared state of a test's threads.
private final class Shared<Value: Sendable>: Sendable {
  let value: Mutex<Value>
  init(_ value: Value) { self.value = Mutex(value) }
  func callAsFunction() -> Value { value.withLock { $0 } }
}

@Suite struct TurnTakingTests {
  @Test func theFIFOsLiveInAPrivateFolderThatRemoveDeletes() throws {
    let fifos = try TurnFIFOs()
    var status = stat()
    #expect(stat(fifos.toSecond, &status) == 0)
    #expect(status.st_mode & S_IFMT == S_IFIFO)
    #expect(stat(fifos.toFirst, &status) == 0)
    #expect(status.st_mode & S_IFMT == S_IFIFO)
    #expect(URL(fileURLWithPath: fifos.folder).lastPathComponent.hasPrefix("sepbench-turns-"))
    fifos.remove()
    #expect(!FileManager.default.fileExists(atPath: fifos.folder))
  }

  /// Runs `body` on a thread of its own (blocking calls must not hold one of the few threads
  /// of Swift's cooperative pool, which other tests need) and returns its result.
  static func onThread<Value: Sendable>(
    _ body: @escaping @Sendable () throws -> Value
  ) -> @Sendable () throws -> Value {
    let result = Shared<Result<Value, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Thread {
      result.value.withLock { $0 = Result(catching: body) }
      done.signal()
    }.start()
    return {
      done.wait()
      return try result()!.get()
    }
  }

  @Test func twoPartiesAlternateStrictlyAndTheSurvivorFinishesAlone() throws {
    let fifos = try TurnFIFOs()
    defer { fifos.remove() }
    let log = Shared<[String]>([])
    // Five turns each; the first leaves after its fifth, the second takes two more alone.
    @Sendable func party(_ role: TurnTaking.Role, turns: Int) throws -> (passed: Int, alone: Bool) {
      let taking = try TurnTaking(fifos.channel(role))
      for turn in 0..<turns {
        log.value.withLock { $0.append("\(role.rawValue)\(turn)") }
        taking.pass()
      }
      let passed = taking.turnsPassed
      taking.leave()
      return (passed, taking.alone)
    }
    let first = Self.onThread { try party(.first, turns: 5) }
    let second = Self.onThread { try party(.second, turns: 7) }
    let (firstResult, secondResult) = (try first(), try second())
    let expected =
      (0..<5).flatMap { ["first\($0)", "second\($0)"] } + ["second5", "second6"]
    #expect(log() == expected)
    #expect(firstResult.passed == 5)
    #expect(secondResult.passed == 5, "its last two passes found the first gone")
    #expect(secondResult.alone)
  }

  /// A build with more samples in a case (an added variant) must not shift the pairing of
  /// later cases: nobody starts case 1 before both have finished case 0.
  @Test func casesEndTogetherWhenTheBuildsTakeDifferentNumbersOfSamples() throws {
    let fifos = try TurnFIFOs()
    defer { fifos.remove() }
    let log = Shared<[(party: String, caseIndex: Int)]>([])
    @Sendable func party(_ role: TurnTaking.Role, samples: [Int]) throws {
      let taking = try TurnTaking(fifos.channel(role))
      for (caseIndex, count) in samples.enumerated() {
        for _ in 0..<count {
          log.value.withLock { $0.append((role.rawValue, caseIndex)) }
          taking.pass()
        }
        taking.finishCase()
      }
      taking.leave()
    }
    let first = Self.onThread { try party(.first, samples: [3, 1, 0, 2]) }
    let second = Self.onThread { try party(.second, samples: [1, 4, 2, 2]) }
    try first()
    try second()
    let cases = log().map(\.caseIndex)
    #expect(cases == cases.sorted(), "every sample of a case precedes the next case's: \(log())")
    #expect(cases.count == 15)
    // Within case 3, where both take two samples, they alternate.
    let last = log().suffix(4).map(\.party)
    #expect(zip(last, last.dropFirst()).allSatisfy { $0 != $1 }, "\(last)")
  }

  @Test func aRunWaitingForAPartnerThatNeverCameIsLetGo() throws {
    let fifos = try TurnFIFOs()
    defer { fifos.remove() }
    let done = Shared(false)
    let waiter = Self.onThread {
      let taking = try TurnTaking(fifos.channel(.second))
      done.value.withLock { $0 = true }
      return taking.alone
    }
    // The opens block until a partner appears; releasing repeatedly covers the moment
    // between the waiter's two opens.
    let deadline = Date().addingTimeInterval(10)
    while !done() && Date() < deadline {
      fifos.releaseSurvivor()
      usleep(5_000)
    }
    #expect(done(), "still blocked after 10 s")
    if done() { #expect(try waiter(), "it goes on alone") }
  }

  @Test func channelArgumentsRoundTripAndMalformedOnesAreRefused() {
    let channel = TurnTaking.Channel(role: .second, toSecond: "/tmp/a", toFirst: "/tmp/b")
    #expect(channel.argument == "second,/tmp/a,/tmp/b")
    #expect(TurnTaking.Channel(argument: channel.argument) == channel)
    for bad in ["", "first", "third,/a,/b", "first,/a", "first,,/b", "first,/a,/b,/c"] {
      #expect(TurnTaking.Channel(argument: bad) == nil, "\(bad)")
    }
  }

  @Test func openingAMissingFIFONamesIt() {
    let channel = TurnTaking.Channel(
      role: .first, toSecond: "/nonexistent/sepbench/to-second", toFirst: "/nonexistent/b")
    #expect {
      try TurnTaking(channel)
    } throws: { error in
      "\(error)"
        == "cannot open the turn FIFO /nonexistent/sepbench/to-second: No such file or directory"
    }
  }

  @Test func theSamplerHandsOverAfterEveryTimedSample() {
    final class Nothing: PreparedKernel {
      func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {}
    }
    let tensor = Tensor(shape: TensorShape(n: 1, c: 1, h: 1, w: 1), layout: .nchw)
    let kernels = (0..<3).map { _ in TimedKernel(kernel: Nothing(), src: tensor, dst: tensor) }
    let sampler = Sampler(
      minSampleNanoseconds: 1_000, repetitions: 4, caseBudgetNanoseconds: 1_000_000_000)
    var handovers = 0
    let timings = sampler.sampleRoundRobin(kernels, afterSample: { handovers += 1 })
    #expect(timings.map(\.samples.count) == [4, 4, 4])
    #expect(handovers == 12)
  }
}

@Suite struct CPUAffinityTests {
  /// Affinity is per thread on Linux: a thread of its own is pinned, so the other tests keep
  /// every CPU.
  @Test func aPinnedThreadMayRunOnlyOnThatCPU() {
    let allowed = CPUAffinity.allowed()
    #expect(!allowed.isEmpty)
    let seen = Shared<(pinned: Bool, allowed: [Int])>((false, []))
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      let pinned = CPUAffinity.pin(to: allowed.last!)
      seen.value.withLock { $0 = (pinned, CPUAffinity.allowed()) }
      done.signal()
    }
    thread.start()
    done.wait()
    #expect(seen().pinned)
    #expect(seen().allowed == [allowed.last!])
    #expect(CPUAffinity.allowed() == allowed, "this thread keeps its CPUs")
    #expect(!CPUAffinity.pin(to: 100_000), "beyond cpu_set_t")
  }
}
