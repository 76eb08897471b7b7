import ConvKernels

/// What the two AVX2 planar stems (`ConvPlanarDirectKernel`, `ConvPlanarInputKernel`) share:
/// the packed weights and the split of the output.
extension GEMMPackedWeights {
  /// The OIHW `weights` of `problem` (groups = 1) as B of `GEMM.multiply`, K in (c, kh, kw)
  /// order, with one `bias` value per output channel or none.
  convenience init(planarStem problem: ConvProblem, weights: [Float], bias: [Float]?) {
    precondition(problem.groups == 1, "a planar-input convolution needs groups = 1")
    self.init(
      transposing: weights, depth: problem.inChannels * problem.kernelH * problem.kernelW,
      columns: problem.outChannels, bias: bias)
  }
}

extension OutputSplit {
  /// A planar stem's output pixels in multiples of the GEMM's 6 rows, or its channels in
  /// 16-column panels (the axis chosen for `threads`), up to
  /// `OutputSplit.balancingTasksPerThread` tasks per thread: a task costs nothing beyond its
  /// outputs, so a late thread still takes a share.
  static func planarStem(_ problem: ConvProblem, threads: Int) -> OutputSplit {
    OutputSplit(
      rows: problem.batch * problem.outHeight * problem.outWidth, rowQuantum: GEMM.mr,
      columns: problem.outChannels, columnQuantum: GEMM.nr,
      threads: threads, tasksPerThread: OutputSplit.balancingTasksPerThread)
  }
}
