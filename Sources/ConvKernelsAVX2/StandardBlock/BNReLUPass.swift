import ConvKernels

/// In place `x = max(0, scale[c] * x + shift[c])` over a whole tensor: the separate BN + ReLU
/// pass of an unfused block. One FMA per element (`addProduct`), 8 elements per vector.
///
/// NHWC: channels are contiguous, so each pixel is `C / 8` vectors against the scale and shift
/// vectors (scalar channel tail). NCHW: each (n, c) plane is a contiguous run with one
/// broadcast scale and shift (scalar tail). Threads own disjoint pixels or planes.
package final class BNReLUPass {
  let shape: TensorShape
  let layout: Layout
  let pool: WorkerPool
  let scale: AlignedBuffer
  let shift: AlignedBuffer
  let tasks: Int

  package init(shape: TensorShape, layout: Layout, threads: Int, pool: WorkerPool, norm: BatchNorm)
  {
    self.shape = shape
    self.layout = layout
    self.pool = pool
    let (s, t) = norm.scaleAndShift
    scale = AlignedBuffer(s)
    shift = AlignedBuffer(t)
    let units = layout == .nhwc ? shape.n * shape.h * shape.w : shape.n * shape.c
    tasks = max(1, min(threads, units))
  }

  package func run(_ x: UnsafeMutablePointer<Float>) {
    let c = shape.c
    let plane = shape.h * shape.w
    let scale = UnsafePointer(self.scale.pointer)
    let shift = UnsafePointer(self.shift.pointer)
    let layout = self.layout
    let units = layout == .nhwc ? shape.n * plane : shape.n * c
    let partition = RowPartition(total: units, parts: tasks)
    pool.run(tasks: tasks) { task in
      for unit in partition.range(task) {
        switch layout {
        case .nhwc:
          let px = x + unit * c
          var ch = 0
          while ch + 8 <= c {
            var v = SIMD8<Float>.load(shift + ch)
            v.addProduct(SIMD8<Float>.load(px + ch), SIMD8<Float>.load(scale + ch))
            v.replacing(with: 0, where: v .< 0).store(to: px + ch)
            ch += 8
          }
          while ch < c {
            px[ch] = max(0, scale[ch] * px[ch] + shift[ch])
            ch += 1
          }
        case .nchw:
          let channel = unit % c
          let run = x + unit * plane
          let vs = SIMD8<Float>(repeating: scale[channel])
          let vt = SIMD8<Float>(repeating: shift[channel])
          var i = 0
          while i + 8 <= plane {
            var v = vt
            v.addProduct(SIMD8<Float>.load(run + i), vs)
            v.replacing(with: 0, where: v .< 0).store(to: run + i)
            i += 8
          }
          while i < plane {
            run[i] = max(0, scale[channel] * run[i] + shift[channel])
            i += 1
          }
        }
      }
    }
  }
}
