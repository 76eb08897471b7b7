import ConvKernels
import ConvKernelsAVX2
import ConvKernelsAVX512

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
        isa: .avx2, flopsPerRound: ConvKernelsAVX2.CeilingKernels.fmaAccumulators * 16,
        fma: { ConvKernelsAVX2.CeilingKernels.fmaChains(iterations: $0, a: $1, b: $2) },
        triad: { ConvKernelsAVX2.CeilingKernels.triad($0, $1, $2, count: $3, scalar: $4) }))
  }

  /// The FMA loops of the ISAs wider than `current`'s that this CPU runs (AVX-512: 16-wide),
  /// for the peak of each vector width. Their triad is the same bandwidth and not measured.
  public static var wider: [CeilingLoops] {
    guard ISA.avx512.isSupported else { return [] }
    return [
      CeilingLoops(
        isa: .avx512, flopsPerRound: ConvKernelsAVX512.CeilingKernels.fmaAccumulators * 32,
        fma: { ConvKernelsAVX512.CeilingKernels.fmaChains(iterations: $0, a: $1, b: $2) },
        triad: { ConvKernelsAVX512.CeilingKernels.triad($0, $1, $2, count: $3, scalar: $4) })
    ]
  }

  /// Why no ceiling can be measured here.
  public struct Unavailable: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
  }
}
