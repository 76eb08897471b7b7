import ConvKernels
import Harness
import Testing

/// Kernels that take a known wall time: they spin on the clock, so a loaded machine makes
/// them no shorter (also `SampleRoundsTests`).
final class Spinning: PreparedKernel {
  let nanoseconds: UInt64
  init(microseconds: UInt64) { nanoseconds = microseconds * 1_000 }
  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let end = MonotonicClock.now() + nanoseconds
    while MonotonicClock.now() < end {}
  }
}

@Suite struct ThreadSplitChoiceTests {
  let tensor = Tensor(shape: TensorShape(n: 1, c: 1, h: 1, w: 1), layout: .nhwc)

  @Test func oneThreadIsKeptWhereItIsFasterAndTheNoteSaysBy() {
    let threaded = Spinning(microseconds: 60)
    let single = Spinning(microseconds: 12)
    let outcome = ThreadSplitChoice.choose(
      threaded: threaded, threads: 2, single: { single }, src: tensor, dst: tensor)
    #expect(outcome.kernel === single)
    let note = outcome.note ?? ""
    #expect(
      note.hasPrefix("ran on 1 thread: 2 threads were not 10 % faster on this shape at set-up ("),
      "\(note)")
    #expect(note.hasSuffix(" on 2, medians of \(ThreadSplitChoice.rounds))"), "\(note)")
  }

  @Test func theThreadedKernelIsKeptWhereItIsFaster() {
    let threaded = Spinning(microseconds: 12)
    let outcome = ThreadSplitChoice.choose(
      threaded: threaded, threads: 2, single: { Spinning(microseconds: 60) }, src: tensor,
      dst: tensor)
    #expect(outcome.kernel === threaded)
    #expect(outcome.note == nil)
  }

  /// Two threads 5 % faster than one: within `requiredGain`, so one thread runs.
  @Test func aNarrowWinForTwoThreadsKeepsOne() {
    let single = Spinning(microseconds: 63)
    let outcome = ThreadSplitChoice.choose(
      threaded: Spinning(microseconds: 60), threads: 2, single: { single }, src: tensor,
      dst: tensor)
    #expect(outcome.kernel === single)
    #expect(outcome.note?.contains(" µs on 1, ") == true, "\(outcome.note ?? "nil")")
  }

  @Test func longRunsForkWithoutARace() {
    let threaded = Spinning(microseconds: ThreadSplitChoice.decidedAbove / 1_000 + 50)
    var prepared = false
    let outcome = ThreadSplitChoice.choose(
      threaded: threaded, threads: 2,
      single: {
        prepared = true
        return Spinning(microseconds: 1)
      }, src: tensor, dst: tensor)
    #expect(outcome.kernel === threaded)
    #expect(!prepared, "the one-thread kernel is not even prepared")
  }
}
