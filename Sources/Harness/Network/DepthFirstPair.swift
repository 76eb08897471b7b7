import ConvKernels

/// Two neighbouring stages run depth-first: the second stage's output rows in bands of
/// `bandRows`, each band as soon as the first stage has written the input rows it reads. The
/// rows a band reads were written a moment before and are still in cache, where layer by layer
/// they would come back from L3 or memory.
///
/// Why: on a Zen 3 (512 KiB L2), MobileNetV1's b02 (stride 2) reading b01's 3.2 MB output took
/// 0.77-0.81 ms inside the network against 0.68-0.70 alone. Timed both ways inside the network
/// on 1 thread (`DepthFirstRefinement`'s passes, `sepbench network mobilenet-v1`), b01 and b02
/// together took 9.0-13.3 % less depth-first with bands of 2 rows of b02 (four runs), 7.1-9.9 %
/// less with 4, 7 % with 8 and 4.7 % with 16. Whether a pair runs this way is measured inside
/// the network on each machine and thread count.
///
/// On several threads the pair runs in lanes, each thread its own part of the image
/// (`DepthFirstLanes`), where their schedule allows; otherwise each band is split between the
/// threads, with a join after each, which made every pair slower depth-first on 2 threads.
///
/// The two stages still write their whole outputs to the network's buffers, so every stage
/// after them reads what it reads layer by layer. The second stage's output buffer is the one
/// the first stage reads (the buffers alternate), so before a band is written the first stage
/// must be done with every row that reads the input rows the band overwrites.
package struct DepthFirstPair {
  let first: any RowBandKernel
  let second: any RowBandKernel
  /// Floats in one input row of the first stage and in one output row of the second, when the
  /// second writes over the first's input; nil when they are different buffers.
  let overwrite: (inputRowFloats: Int, outputRowFloats: Int)?
  /// Output rows of the second stage per band.
  let bandRows: Int
  /// The pass on one thread, over the whole image.
  private let schedule: DepthFirstSchedule
  /// The schedule on several threads, when the pair's kernels have them and it is safe, and
  /// the pool that runs it.
  let lanes: DepthFirstLanes?
  private let lanePool: WorkerPool?

  /// The bands of the network's pairs unless a plan sets others: 2 rows of the second stage.
  package static let defaultBandRows = NetworkPlan.defaultBandRows

  package init(
    first: any RowBandKernel, second: any RowBandKernel,
    overwrite: (inputRowFloats: Int, outputRowFloats: Int)?, bandRows: Int = defaultBandRows
  ) {
    precondition(bandRows >= 1, "a band has rows")
    self.first = first
    self.second = second
    self.overwrite = overwrite
    self.bandRows = bandRows
    // Over the whole image every band's rows lie inside the first stage's output.
    schedule = DepthFirstSchedule(
      first: first, second: second, overwrite: overwrite, bands: 0..<second.outputHeight,
      bandRows: bandRows, firstRows: 0..<first.outputHeight)!
    let threads = min(first.threads, second.threads)
    lanes = DepthFirstLanes(
      first: first, second: second, overwrite: overwrite,
      laneCount: min(threads, first.lanes, second.lanes), bandRows: bandRows)
    lanePool = lanes == nil ? nil : .with(threads: threads)
  }

  /// Threads that run the pair in lanes, each its own part of the image; 1 when the pair runs
  /// band after band.
  package var laneCount: Int { lanes?.lanes.count ?? 1 }

  /// Runs the pair in lanes with phase 1 of each lane on the calling thread, one lane after
  /// another in `order` (what happens when the pool's other workers do not show up), for tests
  /// that every order gives the same result. Requires `laneCount > 1`.
  package func runLanesOneAfterAnother(
    _ order: [Int], _ src: UnsafePointer<Float>, _ middle: UnsafeMutablePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>
  ) {
    guard let lanes else { preconditionFailure("the pair does not run in lanes") }
    lanes.runOneAfterAnother(order, first, second, src, middle, dst)
  }

  /// Output rows of the first stage that must be done before the second computes `band`: the
  /// rows the band reads, and every row that reads an input row the band overwrites.
  package func firstRowsNeeded(before band: Range<Int>) -> Int {
    Self.firstRowsNeeded(first, second, overwrite, before: band)
  }

  static func firstRowsNeeded(
    _ first: any RowBandKernel, _ second: any RowBandKernel,
    _ overwrite: (inputRowFloats: Int, outputRowFloats: Int)?, before band: Range<Int>
  ) -> Int {
    var needed = second.inputRows(for: band).upperBound
    if let overwrite {
      let lastOverwritten =
        (band.upperBound * overwrite.outputRowFloats - 1) / overwrite.inputRowFloats
      while needed < first.outputHeight
        && first.inputRows(for: needed..<(needed + 1)).lowerBound <= lastOverwritten
      {
        needed += 1
      }
    }
    return needed
  }

  /// Runs both stages, `src` to `middle` to `dst`; returns the nanoseconds spent in the first
  /// (in lanes, an estimate: `DepthFirstLanes.run`).
  @discardableResult
  package func run(
    _ src: UnsafePointer<Float>, _ middle: UnsafeMutablePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>
  ) -> UInt64 {
    if let lanes, let lanePool {
      return lanes.run(first, second, pool: lanePool, src, middle, dst)
    }
    let (first, second) = (self.first, self.second)
    return schedule.run(
      first: { first.run(rows: $0, src, middle) },
      second: { second.run(rows: $0, UnsafePointer(middle), dst) })
  }
}
