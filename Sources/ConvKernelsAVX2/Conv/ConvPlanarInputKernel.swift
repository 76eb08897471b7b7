import ConvKernels

/// A KxK convolution with bias and optional ReLU that reads an NCHW input and writes an NHWC
/// output: the first layer of an NHWC network, which takes the image planar as it comes, so
/// the network needs no reorder stage of its own.
///
/// Per block of output pixels, `Im2col.rowsPlanar` copies each pixel's receptive field into one row of
/// C_in·KH·KW floats in the (c, kh, kw) order of OIHW weights, with zeros for the padding.
/// Those rows are the A of `GEMM.multiply`; the weights, transposed and packed once with the
/// bias, are its B; its C rows are the output pixels with their channels along the row, which
/// is NHWC. The block (`blockBudget`) stays in L1 while the GEMM reads it. Meant for a few
/// input channels, such as an RGB image: the gather reads C_in·KH strided runs per pixel,
/// where an NHWC kernel would read KH runs of KW·C_in floats but needs the image reordered
/// first.
///
/// Threads split the output pixels (multiples of the GEMM's rows) or the channels
/// (`OutputSplit`, its axis chosen for `threads`), into up to
/// `OutputSplit.balancingTasksPerThread` tasks per thread, handed out as threads ask for
/// them. As the first stage of
/// a network the stem often starts while a worker is still waking (the pool slept through a
/// one-thread pass); with smaller tasks a late worker still takes a share. One task per thread
/// against four, six alternated runs of `sepbench network mobilenet-v1 --threads 1,2 --twin
/// none` on a Zen 3: the two-thread stem took a median 0.49 against 0.42 ms inside the network
/// and 0.39 against 0.30 ms alone. Every output element is computed with the same K blocks in
/// the same order whatever the split, so the result is bitwise equal on any thread count.
package final class ConvPlanarInputKernel: PreparedKernel {
  let problem: ConvProblem
  let pool: WorkerPool
  let packed: GEMMPackedWeights
  let relu: Bool
  let split: OutputSplit
  let blockPixels: Int
  let workspace: AlignedBuffer

  /// Bytes of gathered rows per block.
  static let blockBudget = 24 * 1024

  /// - Parameters:
  ///   - problem: a convolution with `groups == 1`.
  ///   - weights: OIHW, `outChannels x (inChannels · kernelH · kernelW)`.
  ///   - bias: one value per output channel, or nil.
  package init(
    _ problem: ConvProblem, threads: Int, pool: WorkerPool, weights: [Float], bias: [Float]?,
    relu: Bool
  ) {
    self.problem = problem
    self.pool = pool
    self.relu = relu
    packed = GEMMPackedWeights(planarStem: problem, weights: weights, bias: bias)
    split = .planarStem(problem, threads: threads)
    let depth = packed.depth
    blockPixels = max(GEMM.mr, Self.blockBudget / (4 * depth) / GEMM.mr * GEMM.mr)
    workspace = AlignedBuffer(count: split.tasks * blockPixels * depth)
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = problem
    let depth = packed.depth
    let cout = p.outChannels
    let split = self.split
    let blockPixels = self.blockPixels
    let workspace = self.workspace.pointer
    let packed = self.packed
    let relu = self.relu
    pool.run(tasks: split.tasks) { task in
      let pixels = split.rowRange(task)
      let columns = split.columnRange(task)
      let rows = workspace + task * blockPixels * depth
      var q0 = pixels.lowerBound
      while q0 < pixels.upperBound {
        let q1 = min(pixels.upperBound, q0 + blockPixels)
        Im2col.rowsPlanar(p, src, pixels: q0..<q1, into: rows)
        packed.multiply(
          rows: q1 - q0, a: rows, lda: depth, c: dst + q0 * cout, ldc: cout, relu: relu,
          columns: columns)
        q0 = q1
      }
    }
  }
}
