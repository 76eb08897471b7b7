/// In place, per channel: `x = max(0, scale[c] * x + shift[c])` — an inference batch norm
/// (folded into scale and shift) and a ReLU, as one pass over a tensor.
///
/// Layout: NHWC runs 8 channels per vector along C (scalar tail for C % 8); NCHW broadcasts
/// one channel's scale and shift along each contiguous plane (scalar tail for plane % 8).
/// Threads: tasks own disjoint slices of pixels (NHWC) or channel planes (NCHW); no
/// reduction, so the result does not depend on the thread count.
struct ScaleShiftReLU {
  let shape: TensorShape
  let layout: Layout
  let scale: UnsafePointer<Float>
  let shift: UnsafePointer<Float>

  /// Applies the pass to `x` on `threads` tasks of `pool`.
  func apply(_ x: UnsafeMutablePointer<Float>, threads: Int, pool: WorkerPool) {
    switch layout {
    case .nhwc:
      let pixels = shape.n * shape.h * shape.w
      let parts = RowPartition(total: pixels, parts: threads)
      pool.run(tasks: parts.parts) { task in
        let range = parts.range(task)
        nhwc(x + range.lowerBound * shape.c, pixels: range.count)
      }
    case .nchw:
      let planes = shape.n * shape.c
      let parts = RowPartition(total: planes, parts: threads)
      pool.run(tasks: parts.parts) { task in
        for plane in parts.range(task) {
          nchwPlane(x + plane * shape.h * shape.w, channel: plane % shape.c)
        }
      }
    }
  }

  private func nhwc(_ x: UnsafeMutablePointer<Float>, pixels: Int) {
    let channels = shape.c
    let zero = SIMD8<Float>(repeating: 0)
    for pixel in 0..<pixels {
      let row = x + pixel * channels
      var c = 0
      while c + 8 <= channels {
        var v = SIMD8<Float>.load(shift + c)
        v.addProduct(SIMD8<Float>.load(scale + c), SIMD8<Float>.load(row + c))
        pointwiseMax(v, zero).store(to: row + c)
        c += 8
      }
      while c < channels {
        row[c] = max(0, shift[c].addingProduct(scale[c], row[c]))
        c += 1
      }
    }
  }

  private func nchwPlane(_ x: UnsafeMutablePointer<Float>, channel: Int) {
    let count = shape.h * shape.w
    let vs = SIMD8<Float>(repeating: scale[channel])
    let vb = SIMD8<Float>(repeating: shift[channel])
    let zero = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= count {
      var v = vb
      v.addProduct(vs, SIMD8<Float>.load(x + i))
      pointwiseMax(v, zero).store(to: x + i)
      i += 8
    }
    while i < count {
      x[i] = max(0, shift[channel].addingProduct(scale[channel], x[i]))
      i += 1
    }
  }
}
