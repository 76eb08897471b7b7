import ConvKernels

package final class DepthwiseTiledKernel: PreparedKernel {
  let p: ConvProblem
  let layout: Layout
  let pool: WorkerPool
  let split: DepthwiseSplit
  /// NCHW: `[C][KH][KW]` as given; NHWC: `[KH][KW][C]`.
  let weights: AlignedBuffer
  /// Channels per NHWC block.
  static let channelBlock = 64

  package init(_ p: ConvProblem, weights w: [Float], layout: Layout, threads: Int, pool: WorkerPool)
  {
    self.p = p
    self.layout = layout
    self.pool = pool
    split = DepthwiseSplit(p, threads: threads, channelsFirst: layout == .nchw)
    let taps = p.kernelH * p.kernelW
    weights = AlignedBuffer(count: w.count)
    for c in 0..<p.outChannels {
      for t in 0..<taps {
        weights.pointer[layout == .nchw ? c * taps + t : t * p.outChannels + c] = w[c * taps + t]
      }
    }
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let inImage = p.height * p.width * p.inChannels
    let outImage = p.outHeight * p.outWidth * p.outChannels
    pool.run(tasks: split.count) { index in
      let task = split.task(index)
      let s = src + task.image * inImage
      let d = dst + task.image * outImage
      switch layout {
      case .nchw: nchw(task.rows, task.channels, s, d)
      case .nhwc: nhwc(task.rows, task.channels, s, d)
      }
    }
  }

  /// Valid output columns of tap `kw`: those whose input column lies in the image.
  @inline(__always)
  private func columns(kw: Int) -> Range<Int> {
    // ow * s - pad + kw in [0, W)  <=>  ow in [ceil((pad - kw) / s), floor((W - 1 + pad - kw) / s)]
    let s = p.stride
    let lo = max(0, (p.pad - kw + s - 1) / s)
    let top = p.width - 1 + p.pad - kw
    let hi = top < 0 ? 0 : min(p.outWidth, top / s + 1)
    return lo..<max(lo, hi)
  }

  private func nchw(
    _ rows: Range<Int>, _ channels: Range<Int>, _ src: UnsafePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>
  ) {
    let (s, kh, kw) = (p.stride, p.kernelH, p.kernelW)
    for c in channels {
      let plane = src + c * p.height * p.width
      let wei = UnsafePointer(weights.pointer) + c * kh * kw
      for oh in rows {
        let out = dst + (c * p.outHeight + oh) * p.outWidth
        out.update(repeating: 0, count: p.outWidth)
        let ih0 = oh * s - p.pad
        for i in max(0, -ih0)..<min(kh, p.height - ih0) {
          let row = plane + (ih0 + i) * p.width
          for j in 0..<kw {
            let w = wei[i * kw + j]
            let cols = columns(kw: j)
            if cols.isEmpty { continue }
            let input = row + (cols.lowerBound * s - p.pad + j)
            let output = out + cols.lowerBound
            let n = cols.count
            if s == 1 {
              for x in 0..<n { output[x] += input[x] * w }
            } else {
              for x in 0..<n { output[x] += input[x * s] * w }
            }
          }
        }
      }
    }
  }

  private func nhwc(
    _ rows: Range<Int>, _ channels: Range<Int>, _ src: UnsafePointer<Float>,
    _ dst: UnsafeMutablePointer<Float>
  ) {
    let (s, kh, kw, cn) = (p.stride, p.kernelH, p.kernelW, p.outChannels)
    var c0 = channels.lowerBound
    while c0 < channels.upperBound {
      let c1 = min(channels.upperBound, c0 + Self.channelBlock)
      let n = c1 - c0
      for oh in rows {
        let out = dst + oh * p.outWidth * cn + c0
        for ow in 0..<p.outWidth { (out + ow * cn).update(repeating: 0, count: n) }
        let ih0 = oh * s - p.pad
        for i in max(0, -ih0)..<min(kh, p.height - ih0) {
          let row = src + (ih0 + i) * p.width * cn + c0
          for j in 0..<kw {
            let w = UnsafePointer(weights.pointer) + (i * kw + j) * cn + c0
            for ow in columns(kw: j) {
              let input = row + (ow * s - p.pad + j) * cn
              let output = out + ow * cn
              for c in 0..<n { output[c] += input[c] * w[c] }
            }
          }
        }
      }
      c0 = c1
    }
  }
}
