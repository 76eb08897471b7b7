/// Pointwise (1x1) convolution with cache blocking only: plain loops the compiler
/// auto-vectorises (`vmulps` + `vaddps`, no FMA contraction), no packing, no register tile.
/// The gap to `packed-gemm` is what the micro-kernel and packing buy.
///
/// NHWC: for each block of 32 pixels and 64 input channels, `dst[p][oc] += src[p][ic] *
/// wt[ic][oc]` with the inner loop over output channels; `wt` is W transposed once in
/// `prepare` (`[C_in][C_out]`, a plain layout change, not a panel packing).
/// NCHW: for each block of 256 pixels and each output channel, `dst[oc][p] += w[oc][ic] *
/// src[ic][p]` with the inner loop over pixels; the source block (C_in x 256) stays in L2.
///
/// Threads own disjoint pixels (or output channels when there are few pixels); the sum over
/// input channels always runs in the same order, so any thread count gives the same bits.
struct PointwiseTiled: KernelVariant {
  static let op = Op.pw
  static let family = "tiled"
  static let layouts: Set<Layout> = [.nchw, .nhwc]
  static let isThreaded = true  // threads own disjoint output pixels or channels; no reduction
  static let summary = "cache-blocked loops (32-64 pixels x 64 C_in), auto-vectorised, no packing"
  let layout: Layout
  let threads: Int

  func unsupportedReason(_ problem: ConvProblem) -> String? {
    problem.isPointwise ? nil : "needs a 1x1, stride-1, unpadded problem, got \(problem.descriptor)"
  }

  func prepare(_ problem: ConvProblem, _ parameters: OpParameters, pool: WorkerPool)
    -> any PreparedKernel
  {
    Prepared(
      problem.part(for: Self.op), layout: layout, threads: threads, pool: pool,
      weights: parameters.weights)
  }

  /// Pixels per block in NHWC and NCHW, input channels per block in NHWC.
  static let pixelBlockNHWC = 32
  static let pixelBlockNCHW = 256
  static let channelBlock = 64

  final class Prepared: PreparedKernel {
    let problem: ConvProblem
    let layout: Layout
    let pool: WorkerPool
    /// NHWC: `[C_in][C_out]`; NCHW: `[C_out][C_in]`.
    let weights: AlignedBuffer
    let split: OutputSplit

    init(_ problem: ConvProblem, layout: Layout, threads: Int, pool: WorkerPool, weights w: [Float])
    {
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

    func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
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
            let p1 = min(rows.upperBound, p0 + PointwiseTiled.pixelBlockNHWC)
            for p in p0..<p1 {
              (dst + p * cout + ocs.lowerBound).update(repeating: 0, count: ocs.count)
            }
            var k0 = 0
            while k0 < cin {
              let k1 = min(cin, k0 + PointwiseTiled.channelBlock)
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
              let p1 = min(columns.upperBound, p0 + PointwiseTiled.pixelBlockNCHW)
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
}
