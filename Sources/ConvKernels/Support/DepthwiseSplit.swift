/// How a threaded depthwise kernel cuts its output into tasks for `WorkerPool.run(tasks:)`:
/// (image, block of output rows, block of channels). Blocks are disjoint, so every output is
/// written by exactly one task and no task reduces; channel blocks are multiples of the
/// kernel's vector width (`channelQuantum`; only the last block holds the channel tail), so the SIMD/scalar path an output
/// takes does not depend on the split and multithreaded output is bitwise equal to one thread.
///
/// With one thread there is one task per image. With T > 1 threads it aims at 4*T tasks so
/// that the dynamic hand-out balances uneven blocks, splitting first along `rows` (NHWC:
/// neighbouring rows share input) or first along channels (NCHW: planes are independent),
/// and then along the other axis when the first one is too short (7x7, 14x14).
package struct DepthwiseSplit {
  package let batch: Int
  package let rows: RowPartition
  package let channelVectors: RowPartition
  package let channels: Int
  /// Channels per vector: every channel block but the last is a multiple of it.
  package let channelQuantum: Int

  package init(_ p: ConvProblem, threads: Int, channelsFirst: Bool, channelQuantum: Int = 8) {
    batch = p.batch
    channels = p.outChannels
    self.channelQuantum = channelQuantum
    let vectors = (p.outChannels + channelQuantum - 1) / channelQuantum
    let target = OutputSplit.balancingTaskCount(threads: threads)
    let perImage = max(1, (target + p.batch - 1) / p.batch)
    var rowBlocks: Int
    var channelBlocks: Int
    if channelsFirst {
      channelBlocks = min(vectors, perImage)
      rowBlocks = min(p.outHeight, (perImage + channelBlocks - 1) / channelBlocks)
    } else {
      rowBlocks = min(p.outHeight, perImage)
      channelBlocks = min(vectors, (perImage + rowBlocks - 1) / rowBlocks)
    }
    rows = RowPartition(total: p.outHeight, parts: rowBlocks)
    channelVectors = RowPartition(total: vectors, parts: channelBlocks)
  }

  /// Number of tasks.
  package var count: Int { batch * rows.parts * channelVectors.parts }

  /// Task `index`: its image, output rows and channels (`lowerBound` a multiple of
  /// `channelQuantum`).
  package func task(_ index: Int) -> (image: Int, rows: Range<Int>, channels: Range<Int>) {
    let channelBlock = index % channelVectors.parts
    let rest = index / channelVectors.parts
    let rowBlock = rest % rows.parts
    let image = rest / rows.parts
    let v = channelVectors.range(channelBlock)
    let q = channelQuantum
    return (image, rows.range(rowBlock), (v.lowerBound * q)..<min(channels, v.upperBound * q))
  }
}
