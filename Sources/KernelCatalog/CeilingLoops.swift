import ConvKernels
import ConvKernelsAVX2

/// The loops that measure this machine's ceilings (an FMA throughput loop and a triad), at
/// the widest ISA this CPU can run. Like the kernel families, they are reached only through
/// the catalog, after the CPU check.
public struct CeilingLoops: Sendable {
  /// The ISA the loops are compiled for.
  public let isa: ISA
  /// Floating-point operations of one round of `fma`, per thread.
  public let flopsPerRound: Int
  /// Runs `iterations` rounds of independent FMA chains; returns a value that depends on all.
  public let fma: @Sendable (_ iterations: Int, _ a: Float, _ b: Float) -> Float
  /// `a[i] = b[i] + scalar * c[i]` for `count` floats.
  public let triad:
    @Sendable (
      _ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
      _ count: Int, _ scalar: Float
    ) -> Void

  /// The loops for this CPU, or nil with the reason when it can run none of them.
  public static var current: Result<CeilingLoops, Unavailable> {
    guard ISA.avx2.isSupported else {
      return .failure(
        Unavailable(
          reason: "the ceiling loops need \(ISA.avx2.requires), which this CPU lacks"))
    }
    return .success(
      CeilingLoops(
        isa: .avx2, flopsPerRound: CeilingKernels.fmaAccumulators * 16,
        fma: { CeilingKernels.fmaChains(iterations: $0, a: $1, b: $2) },
        triad: { CeilingKernels.triad($0, $1, $2, count: $3, scalar: $4) }))
  }

  /// Why no ceiling can be measured here.
  public struct Unavailable: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
  }
}
