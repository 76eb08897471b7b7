import ConvKernels

/// One run of a depth-first pair over a range of the second stage's output rows, worked out
/// once: per band, the first stage's rows to compute before it (possibly none), then the first
/// stage's rows that no band needed. A pair on one thread has one schedule over the whole
/// image (`DepthFirstPair`); in lanes, each lane has one over its part (`DepthFirstLanes`).
struct DepthFirstSchedule: Equatable {
  /// The first stage's rows to compute, then a band of the second stage's.
  struct Step: Equatable {
    let first: Range<Int>
    let band: Range<Int>
  }

  let steps: [Step]
  /// The first stage's rows computed after the last band.
  let firstTail: Range<Int>

  /// The second stage's rows `bands` in bands of `bandRows`, each after the first-stage rows
  /// it reads and those that read an input row it overwrites (`DepthFirstPair.firstRowsNeeded`),
  /// computing first-stage rows from `firstRows.lowerBound` on and all of `firstRows` in the
  /// end. Nil when a band reads a first-stage row before `firstRows` or needs one after it.
  init?(
    first: any RowBandKernel, second: any RowBandKernel,
    overwrite: (inputRowFloats: Int, outputRowFloats: Int)?, bands: Range<Int>, bandRows: Int,
    firstRows: Range<Int>
  ) {
    var steps: [Step] = []
    var done = firstRows.lowerBound
    for start in stride(from: bands.lowerBound, to: bands.upperBound, by: bandRows) {
      let band = start..<min(start + bandRows, bands.upperBound)
      let needed = max(
        done, DepthFirstPair.firstRowsNeeded(first, second, overwrite, before: band))
      guard firstRows.lowerBound <= second.inputRows(for: band).lowerBound,
        needed <= firstRows.upperBound
      else { return nil }
      steps.append(Step(first: done..<needed, band: band))
      done = needed
    }
    self.steps = steps
    firstTail = done..<firstRows.upperBound
  }

  /// Runs the steps, first-stage rows through `runFirst` and bands through `runSecond`;
  /// returns the nanoseconds spent in `runFirst`.
  @inline(__always)
  func run(first runFirst: (Range<Int>) -> Void, second runSecond: (Range<Int>) -> Void)
    -> UInt64
  {
    var firstNanoseconds: UInt64 = 0
    for step in steps {
      if !step.first.isEmpty {
        let clock = MonotonicClock.now()
        runFirst(step.first)
        firstNanoseconds += MonotonicClock.now() - clock
      }
      runSecond(step.band)
    }
    if !firstTail.isEmpty {
      // Rows no band of the second stage reads (its stride skips the bottom rows), or, in a
      // lane, the rows of its part that only the bands at its seams read.
      let clock = MonotonicClock.now()
      runFirst(firstTail)
      firstNanoseconds += MonotonicClock.now() - clock
    }
    return firstNanoseconds
  }
}
