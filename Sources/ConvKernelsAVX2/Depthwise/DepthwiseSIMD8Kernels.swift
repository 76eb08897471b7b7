import ConvKernels

/// Runs `DepthwiseRowsNHWC` over the tasks of a `DepthwiseSplit` (rows first).
package final class DepthwiseSIMD8NHWCKernel: PreparedKernel {
  let rows: DepthwiseRowsNHWC
  let split: DepthwiseSplit
  let pool: WorkerPool

  package init(_ rows: DepthwiseRowsNHWC, threads: Int, pool: WorkerPool) {
    self.rows = rows
    split = DepthwiseSplit(
      rows.problem, threads: threads, channelsFirst: false, channelQuantum: ChannelVector.lanes)
    self.pool = pool
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = rows.problem
    let inImage = p.height * p.width * p.inChannels
    let rowPitch = p.outWidth * p.outChannels
    let outImage = p.outHeight * rowPitch
    pool.run(tasks: split.count) { index in
      let task = split.task(index)
      rows.compute(
        rows: task.rows, channels: task.channels, src: src + task.image * inImage,
        dst: dst + task.image * outImage + task.rows.lowerBound * rowPitch, rowPitch: rowPitch,
        pixelPitch: p.outChannels)
    }
  }
}

/// Runs `DepthwiseRowsNCHW` over the tasks of a `DepthwiseSplit` (channels first), one
/// scratch per task.
package final class DepthwiseSIMD8NCHWKernel: PreparedKernel {
  let rows: DepthwiseRowsNCHW
  let split: DepthwiseSplit
  let pool: WorkerPool
  let scratches: [DepthwiseRowsNCHW.Scratch]
  let scratchBase: UnsafeMutablePointer<Unmanaged<DepthwiseRowsNCHW.Scratch>>

  package init(_ rows: DepthwiseRowsNCHW, threads: Int, pool: WorkerPool) {
    self.rows = rows
    split = DepthwiseSplit(rows.problem, threads: threads, channelsFirst: true)
    self.pool = pool
    scratches = (0..<split.count).map { _ in rows.makeScratch() }
    // `run` may not index an Array: the scratches are reached through a plain pointer table.
    scratchBase = .allocate(capacity: scratches.count)
    for (i, s) in scratches.enumerated() { scratchBase[i] = Unmanaged.passUnretained(s) }
  }

  deinit { scratchBase.deallocate() }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = rows.problem
    let inImage = p.height * p.width * p.inChannels
    let plane = p.outHeight * p.outWidth
    let outImage = p.outChannels * plane
    pool.run(tasks: split.count) { index in
      let task = split.task(index)
      rows.compute(
        rows: task.rows, channels: task.channels, src: src + task.image * inImage,
        dst: dst + task.image * outImage + task.channels.lowerBound * plane
          + task.rows.lowerBound * p.outWidth,
        rowPitch: p.outWidth, planePitch: plane,
        scratch: scratchBase[index].takeUnretainedValue())
    }
  }
}
