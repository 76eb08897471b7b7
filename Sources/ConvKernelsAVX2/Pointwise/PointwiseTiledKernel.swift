import ConvKernels

/// The kernel of the `tiled` pw family (`PointwiseTiled` in the catalog).
package final class PointwiseTiledKernel: PreparedKernel {
  /// Pixels per block in NHWC and NCHW, input channels per block in NHWC.
  static let pixelBlockNHWC = 32
  static let pixelBlockNCHW = 256
  static let channelBlock = 64

  let problem: ConvProblem
  let layout: Layout
  let pool: WorkerPool
  /// NHWC: `[C_in][C_out]`; NCHW: `[C_out][C_in]`.
  let weights: AlignedBuffer
  let split: OutputSplit

  package init(
    _ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights w: [Float]
  ) {
    self.problem = problem
    self.layout = layout
    self.pool = pool
    let cin = problem.inChannels
    let cout = problem.outChannels
    let pixels = problem.height * problem.width
    switch layout {
    case .nhwc:
      let wt = AlignedBuffer(count: cin * cout)
      for oc in 0..<cout {
        for ic in 0..<cin { wt.pointer[ic * cout + oc] = w[oc * cin + ic] }
      }
      weights = wt
      split = OutputSplit(
        rows: problem.batch * pixels, rowQuantum: 1, columns: cout, columnQuantum: 8,
        threads: threads)
    case .nchw:
      weights = AlignedBuffer(w)
      split = OutputSplit(
        rows: cout, rowQuantum: 1, columns: pixels, columnQuantum: 8, threads: threads,
        prefer: .columns)
    }
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let cin = problem.inChannels
    let cout = problem.outChannels
    let pixels = problem.height * problem.width
    let batch = problem.batch
    let w = UnsafePointer(weights.pointer)
    let split = self.split
    switch layout {
    case .nhwc:
      pool.run(tasks: split.tasks) { task in
        let rows = split.rowRange(task)
        let ocs = split.columnRange(task)
        var p0 = rows.lowerBound
        while p0 < rows.upperBound {
          let p1 = min(rows.upperBound, p0 + Self.pixelBlockNHWC)
          for p in p0..<p1 {
            (dst + p * cout + ocs.lowerBound).update(repeating: 0, count: ocs.count)
          }
          var k0 = 0
          while k0 < cin {
            let k1 = min(cin, k0 + Self.channelBlock)
            for p in p0..<p1 {
              let out = dst + p * cout
              let x = src + p * cin
              for ic in k0..<k1 {
                let xv = x[ic]
                let row = w + ic * cout
                for oc in ocs { out[oc] += xv * row[oc] }
              }
            }
            k0 = k1
          }
          p0 = p1
        }
      }
    case .nchw:
      pool.run(tasks: split.tasks) { task in
        let ocs = split.rowRange(task)
        let columns = split.columnRange(task)
        for n in 0..<batch {
          let image = src + n * cin * pixels
          let outImage = dst + n * cout * pixels
          var p0 = columns.lowerBound
          while p0 < columns.upperBound {
            let p1 = min(columns.upperBound, p0 + Self.pixelBlockNCHW)
            let count = p1 - p0
            for oc in ocs {
              let out = outImage + oc * pixels + p0
              out.update(repeating: 0, count: count)
              for ic in 0..<cin {
                let wv = w[oc * cin + ic]
                let x = image + ic * pixels + p0
                for p in 0..<count { out[p] += wv * x[p] }
              }
            }
            p0 = p1
          }
        }
      }
    }
  }
}
