import ConvKernels

/// A depth-first pair on several threads, split by rows: each thread (lane) takes its own part
/// of the second stage's output rows and runs it depth-first on its own, computing the first
/// stage's rows it owns as its bands need them. One join, then the bands at the seams between
/// parts.
///
/// Why: splitting each band between the threads instead (`DepthFirstPair` without lanes) puts
/// a join after each of the two stages' calls in every band. On a 2-vCPU Zen 3 guest every
/// MobileNetV1 pair ran slower that way than layer by layer on 2 threads (1 to 10 % at
/// bc07a7d, `sepbench network mobilenet-v1 --threads 2`), and b03+b04, which cannot run in
/// lanes, still does (1 to 22 % in the 2db3de5 job of the README). In lanes b01+b02 ran 7 to
/// 20 % faster than layer by layer in the same job. A lane's bands follow each other with no
/// join.
///
/// The schedule, worked out once:
/// - The second stage's output rows are cut into one equal part per lane. Lane `t` owns the
///   first stage's rows from those the parts before it read up to those its own part reads
///   (the last lane also owns the rows no band reads).
/// - Before the join (phase 1), each lane runs the bands of its part except the one at each
///   seam, first-stage rows just ahead of them as in `DepthFirstPair`, then the rest of the
///   first-stage rows it owns.
/// - After the join (phase 2), each lane runs the bands it left at its seams. Every first-stage
///   row is done by then, so they may read rows another lane computed and overwrite input
///   rows any lane read.
///
/// Phase 1 must not depend on how the lanes interleave (a worker the host delays leaves both
/// lanes to the caller, one after the other), so `init` returns nil unless, in phase 1, every
/// band reads only first-stage rows its own lane computes, and no band overwrites an input row
/// that a first-stage row of another lane reads. MobileNetV1's b01+b02 passes (a b02 row lies
/// over two b01 input rows); b03+b04 does not (a b04 row lies over one b03 input row, so the
/// second lane's first band, b04 rows 16..<18, overwrites input rows 16 and 17, which the
/// first lane's b03 rows still read).
final class DepthFirstLanes {
  /// One lane: its phase 1, and its seam bands for phase 2.
  struct Lane: Equatable {
    var schedule: DepthFirstSchedule
    var seams: [Range<Int>]
  }

  let lanes: [Lane]
  /// Per lane, written by its task: nanoseconds in the first stage, then in both.
  private let spent: UnsafeMutablePointer<UInt64>

  /// The split of `second`'s rows into `laneCount` parts in bands of `bandRows`, or nil when
  /// phase 1 of some lane would depend on another (see the type's discussion) or a part is
  /// too small to have a band away from its seams.
  init?(
    first: any RowBandKernel, second: any RowBandKernel,
    overwrite: (inputRowFloats: Int, outputRowFloats: Int)?, laneCount: Int, bandRows: Int
  ) {
    guard laneCount > 1 else { return nil }
    let parts = RowPartition(total: second.outputHeight, parts: laneCount)
    guard parts.parts == laneCount,
      (0..<laneCount).allSatisfy({ parts.range($0).count >= 3 * bandRows })
    else { return nil }
    // First-stage rows owned by each lane: up to what the parts so far read.
    var owned: [Range<Int>] = []
    var start = 0
    for lane in 0..<laneCount {
      let end =
        lane == laneCount - 1
        ? first.outputHeight
        : max(start, second.inputRows(for: 0..<parts.range(lane).upperBound).upperBound)
      owned.append(start..<end)
      start = end
    }
    var lanes: [Lane] = []
    for lane in 0..<laneCount {
      let part = parts.range(lane)
      let top = lane > 0 ? part.lowerBound..<(part.lowerBound + bandRows) : nil
      let bottom = lane < laneCount - 1 ? (part.upperBound - bandRows)..<part.upperBound : nil
      let inner = (top?.upperBound ?? part.lowerBound)..<(bottom?.lowerBound ?? part.upperBound)
      guard
        let schedule = DepthFirstSchedule(
          first: first, second: second, overwrite: overwrite, bands: inner, bandRows: bandRows,
          firstRows: owned[lane])
      else { return nil }
      if let overwrite, !inner.isEmpty {
        // Input rows this lane's phase-1 bands overwrite, against those the other lanes'
        // first-stage rows read.
        let overwritten =
          inner.lowerBound * overwrite.outputRowFloats
          / overwrite.inputRowFloats..<((inner.upperBound * overwrite.outputRowFloats - 1)
          / overwrite.inputRowFloats + 1)
        for other in 0..<laneCount where other != lane && !owned[other].isEmpty {
          if first.inputRows(for: owned[other]).overlaps(overwritten) { return nil }
        }
      }
      lanes.append(Lane(schedule: schedule, seams: [top, bottom].compactMap { $0 }))
    }
    self.lanes = lanes
    spent = .allocate(capacity: 2 * laneCount)
  }

  deinit { spent.deallocate() }

  /// Runs the pair on `pool` (one task per lane in each phase); returns the nanoseconds of
  /// the first stage: phase 1's wall time times the first stage's share of the lanes' work in
  /// it, which holds whether the lanes ran at once or one after the other.
  func run(
    _ first: any RowBandKernel, _ second: any RowBandKernel, pool: WorkerPool,
    _ src: UnsafePointer<Float>, _ middle: UnsafeMutablePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>
  ) -> UInt64 {
    let start = MonotonicClock.now()
    pool.run(tasks: lanes.count) { lane in
      runPhaseOne(lane, first, second, src, middle, dst)
    }
    let phaseOne = MonotonicClock.now() - start
    pool.run(tasks: lanes.count) { lane in
      runSeams(lane, second, middle, dst)
    }
    var (firstWork, allWork): (UInt64, UInt64) = (0, 0)
    for lane in lanes.indices {
      firstWork += spent[2 * lane]
      allWork += spent[2 * lane + 1]
    }
    guard allWork > 0 else { return 0 }
    return UInt64(Double(phaseOne) * Double(firstWork) / Double(allWork))
  }

  /// Runs phase 1 of every lane on the calling thread, in `order`, then the seams: the orders
  /// `run` can take when a worker is late (the caller takes the lanes left, in ascending
  /// order; a worker that claimed a lane and stalled finishes it after them), chosen by a test.
  func runOneAfterAnother(
    _ order: [Int], _ first: any RowBandKernel, _ second: any RowBandKernel,
    _ src: UnsafePointer<Float>, _ middle: UnsafeMutablePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>
  ) {
    precondition(order.sorted() == Array(lanes.indices), "every lane once")
    for lane in order { runPhaseOne(lane, first, second, src, middle, dst) }
    for lane in lanes.indices { runSeams(lane, second, middle, dst) }
  }

  /// Lane `lane`'s bands away from its seams, each after the first-stage rows it needs, then
  /// the rest of its first-stage rows; records the lane's time in `spent`.
  private func runPhaseOne(
    _ lane: Int, _ first: any RowBandKernel, _ second: any RowBandKernel,
    _ src: UnsafePointer<Float>, _ middle: UnsafeMutablePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>
  ) {
    let laneStart = MonotonicClock.now()
    spent[2 * lane] = lanes[lane].schedule.run(
      first: { first.run(rows: $0, src, middle, lane: lane) },
      second: { second.run(rows: $0, UnsafePointer(middle), dst, lane: lane) })
    spent[2 * lane + 1] = MonotonicClock.now() - laneStart
  }

  /// Lane `lane`'s bands at its seams.
  private func runSeams(
    _ lane: Int, _ second: any RowBandKernel, _ middle: UnsafeMutablePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>
  ) {
    for band in lanes[lane].seams {
      second.run(rows: band, UnsafePointer(middle), dst, lane: lane)
    }
  }
}
