import ConvKernels

/// A KxK convolution with bias and optional ReLU that reads an NCHW input and writes an NHWC
/// output: the first layer of an NHWC network, which takes the image planar as it comes, so
/// the network needs no reorder stage of its own.
///
/// Per block of output pixels, `gather` copies each pixel's receptive field into one row of
/// C_in·KH·KW floats in the (c, kh, kw) order of OIHW weights, with zeros for the padding.
/// Those rows are the A of `GEMM.multiply`; the weights, transposed and packed once with the
/// bias, are its B; its C rows are the output pixels with their channels along the row, which
/// is NHWC. The block (`blockBudget`) stays in L1 while the GEMM reads it. Meant for a few
/// input channels, such as an RGB image: the gather reads C_in·KH strided runs per pixel,
/// where an NHWC kernel would read KH runs of KW·C_in floats but needs the image reordered
/// first.
///
/// Threads split the output pixels (multiples of 6) or the channels (`OutputSplit`). Every
/// output element is computed with the same K blocks in the same order whatever the split, so
/// the result is bitwise equal on any thread count.
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
    precondition(problem.groups == 1, "a planar-input convolution needs groups = 1")
    self.problem = problem
    self.pool = pool
    self.relu = relu
    let depth = problem.inChannels * problem.kernelH * problem.kernelW
    packed = GEMMPackedWeights(
      transposing: weights, depth: depth, columns: problem.outChannels, bias: bias)
    split = OutputSplit(
      rows: problem.batch * problem.outHeight * problem.outWidth, rowQuantum: GEMM.mr,
      columns: problem.outChannels, columnQuantum: GEMM.nr, threads: threads)
    blockPixels = max(GEMM.mr, Self.blockBudget / (4 * depth) / GEMM.mr * GEMM.mr)
    workspace = AlignedBuffer(count: split.tasks * blockPixels * depth)
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let p = problem
    let depth = p.inChannels * p.kernelH * p.kernelW
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
        Self.gather(p, pixels: q0..<q1, src: src, into: rows)
        packed.multiply(
          rows: q1 - q0, a: rows, lda: depth, c: dst + q0 * cout, ldc: cout, relu: relu,
          columns: columns)
        q0 = q1
      }
    }
  }

  /// Writes, for each output pixel `q` of `pixels` (n, oh, ow in row-major order), the row
  /// `rows[(q - pixels.lowerBound) * depth ..< +depth]`: input element (c, oh·s − p + kh,
  /// ow·s − p + kw) at index (c·KH + kh)·KW + kw, or 0 where that lies in the padding.
  package static func gather(
    _ p: ConvProblem, pixels: Range<Int>, src: UnsafePointer<Float>,
    into rows: UnsafeMutablePointer<Float>
  ) {
    guard !pixels.isEmpty else { return }
    let (kh, kw, s) = (p.kernelH, p.kernelW, p.stride)
    let plane = p.height * p.width
    let outPlane = p.outHeight * p.outWidth
    var n = pixels.lowerBound / outPlane
    var oh = (pixels.lowerBound - n * outPlane) / p.outWidth
    var ow = pixels.lowerBound - n * outPlane - oh * p.outWidth
    var row = rows
    for _ in pixels {
      let image = src + n * p.inChannels * plane
      let ih0 = oh * s - p.pad
      let iw0 = ow * s - p.pad
      if ih0 >= 0 && ih0 + kh <= p.height && iw0 >= 0 && iw0 + kw <= p.width {
        var k = 0
        for c in 0..<p.inChannels {
          var run = image + c * plane + ih0 * p.width + iw0
          if kw == 3 {
            // The stem's case, unrolled: three floats per kernel row.
            for _ in 0..<kh {
              row[k] = run[0]
              row[k + 1] = run[1]
              row[k + 2] = run[2]
              k += 3
              run += p.width
            }
          } else {
            for _ in 0..<kh {
              for x in 0..<kw { row[k + x] = run[x] }
              k += kw
              run += p.width
            }
          }
        }
      } else {
        var k = 0
        for c in 0..<p.inChannels {
          for y in 0..<kh {
            let ih = ih0 + y
            for x in 0..<kw {
              let iw = iw0 + x
              row[k] =
                ih >= 0 && ih < p.height && iw >= 0 && iw < p.width
                ? image[c * plane + ih * p.width + iw] : 0
              k += 1
            }
          }
        }
      }
      row += kh * kw * p.inChannels
      ow += 1
      if ow == p.outWidth {
        ow = 0
        oh += 1
        if oh == p.outHeight {
          oh = 0
          n += 1
        }
      }
    }
  }
}
