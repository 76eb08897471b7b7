/// How the GEMMs of every ISA target cut their reduction: `ceil(depth / maxLength)` blocks of
/// nearly equal length, so no block is a short remainder. Only where partial sums meet memory
/// depends on it, never a result: a partial sum is stored as a float and reloaded unchanged,
/// so each output element stays one chain of FMAs in k order.
package enum KBlocking {
  /// The length of every block but possibly the last (which is at most as long).
  @inline(__always)
  package static func blockLength(depth: Int, maxLength: Int) -> Int {
    let blocks = (depth + maxLength - 1) / maxLength
    return (depth + blocks - 1) / blocks
  }
}
