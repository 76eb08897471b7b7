/// How the fused separable block cuts its output rows into tasks and each task into tiles.
///
/// Tasks own equal runs of output rows (within one row) over the flattened (image, row) space,
/// four per thread, and threads claim them as they go: a thread that the host delays or slows
/// takes fewer of them. On a 2-vCPU guest, `sepbench ab` over 30 pairs of blocks (the 14x14
/// 512-channel and 28x28 256-channel MobileNetV1 blocks, 2 threads) measured this 2-4 % faster
/// than tiles of a fixed height handed out in runs (14 rows as 6, 3, 3 and 2), 4-9 % faster
/// than four equal tasks and 3-5 % faster than two; eight per thread gained nothing more.
/// A task cuts its run, per image, into tiles of at most `tileRows` rows and of equal height
/// (within one row), never across an image. Each task has one tile buffer of `tileFloats` floats.
///
/// No ISA code: every target's fused kernel walks the same plan.
package struct FusedTilePlan: Sendable {
  package let problem: ConvProblem
  /// Most output rows in one tile: as many as fit in the tile budget (at least one), and no
  /// more than the longest task's run.
  package let tileRows: Int
  /// Floats in one tile buffer (`tileRows` rows of the depthwise output).
  package let tileFloats: Int
  /// Tasks: one on one thread, four per thread otherwise, never more than there are output
  /// rows.
  package let tasks: Int
  private let partition: RowPartition

  /// - Parameters:
  ///   - problem: the block's problem (its depthwise output is `outHeight x outWidth x C_in`).
  ///   - threads: threads that will run the tasks.
  ///   - tileBytes: the budget of one tile buffer.
  package init(_ problem: ConvProblem, threads: Int, tileBytes: Int) {
    self.problem = problem
    let rowFloats = problem.outWidth * problem.inChannels
    let totalRows = problem.batch * problem.outHeight
    tasks = max(1, min(totalRows, OutputSplit.balancingTaskCount(threads: threads)))
    let longestRun = (totalRows + tasks - 1) / tasks
    tileRows = min(max(1, tileBytes / (4 * rowFloats)), problem.outHeight, longestRun)
    tileFloats = tileRows * rowFloats
    partition = RowPartition(total: totalRows, parts: tasks)
  }

  /// Calls `body(image, rows)` for each tile of `task` in order: `rows` are output rows of
  /// `image`.
  @inline(__always)
  package func forEachTile(of task: Int, _ body: (_ image: Int, _ rows: Range<Int>) -> Void) {
    let height = problem.outHeight
    let run = partition.range(task)
    var next = run.lowerBound
    while next < run.upperBound {
      let image = next / height
      let end = min(run.upperBound, (image + 1) * height)
      let first = next - image * height
      forEachTile(inRows: first..<(first + end - next)) { body(image, $0) }
      next = end
    }
  }

  /// Tasks for a band of `rows` output rows of one image: as many as `tasks`, but no more than
  /// the band has rows.
  package func tasks(forBand rows: Int) -> Int { max(1, min(tasks, rows)) }

  /// Calls `body(rows)` for each tile of `task` (of `tasks(forBand: band.count)`) in a band
  /// of one image's output rows: the band is split into equal runs (within one row), one per
  /// task, and each run into tiles of at most `tileRows` rows and of equal height.
  @inline(__always)
  package func forEachTile(
    of task: Int, inBand band: Range<Int>, _ body: (_ rows: Range<Int>) -> Void
  ) {
    let run = RowPartition(total: band.count, parts: tasks(forBand: band.count)).range(task)
    forEachTile(
      inRows: (band.lowerBound + run.lowerBound)..<(band.lowerBound + run.upperBound), body)
  }

  /// Cuts `rows` (of one image) into tiles of at most `tileRows` rows and of equal height
  /// (within one row), and calls `body` for each in order: also for a caller that splits the
  /// rows between threads itself.
  @inline(__always)
  package func forEachTile(inRows rows: Range<Int>, _ body: (_ rows: Range<Int>) -> Void) {
    let pieces = RowPartition(total: rows.count, parts: (rows.count + tileRows - 1) / tileRows)
    for piece in 0..<pieces.parts {
      let tile = pieces.range(piece)
      body((rows.lowerBound + tile.lowerBound)..<(rows.lowerBound + tile.upperBound))
    }
  }

  /// The plan in a variant's note: tile height and buffer, tasks.
  package var note: String {
    "tile ≤ \(tileRows) rows = \(ByteCount(4 * tileFloats)), \(tasks) tasks"
  }
}
