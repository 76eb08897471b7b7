/// A prepared kernel of one image that can compute any run of its output rows on its own, so a
/// network can run two layers depth-first: a band of the second layer's rows as soon as the
/// first has written the input rows they read, while those rows are still in cache
/// (`CompiledNetwork`).
///
/// Input and output are one NHWC image, so output row r is the floats `[r * W * C, (r + 1) *
/// W * C)` of `dst`, and input rows likewise. Running the bands of `0..<outputHeight` in order,
/// from the same `src` into the same `dst`, writes bitwise what `run` writes.
package protocol RowBandKernel: PreparedKernel {
  /// Output rows of the image.
  var outputHeight: Int { get }
  /// The input rows that output rows `rows` read (clipped to the image; padding reads none).
  func inputRows(for rows: Range<Int>) -> Range<Int>
  /// Computes output rows `rows` only. `src` and `dst` point at the whole input and output
  /// image, as for `run`; nothing outside `rows` is written.
  func run(rows: Range<Int>, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>)
  /// Threads that `run` and `run(rows:_:_:)` spread their work over.
  var threads: Int { get }
  /// Lanes of `run(rows:_:_:lane:)`: how many calls may run at once.
  var lanes: Int { get }
  /// Computes output rows `rows` only, on the calling thread, with the scratch memory of
  /// `lane` (in `0..<lanes`). Calls with different lanes may run at once on different threads
  /// when their rows do not overlap and neither reads what the other writes; they write bitwise
  /// what `run(rows:_:_:)` writes.
  func run(
    rows: Range<Int>, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
    lane: Int)
}

extension ConvProblem {
  /// The input rows that output rows `rows` read: `[r * stride - pad, (r_last) * stride - pad
  /// + kernelH)` clipped to `0..<height`.
  package func inputRows(forOutputRows rows: Range<Int>) -> Range<Int> {
    guard !rows.isEmpty else { return 0..<0 }
    let first = max(0, rows.lowerBound * stride - pad)
    let end = min(height, (rows.upperBound - 1) * stride - pad + kernelH)
    return first..<max(first, end)
  }
}
