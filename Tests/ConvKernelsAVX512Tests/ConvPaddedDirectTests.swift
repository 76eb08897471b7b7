import ConvKernels
import ConvKernelsAVX2
import ConvKernelsAVX512
import Testing

/// The AVX-512 direct convolution (per-tap GEMMs over a padded copy) against the AVX2 one
/// (indirect GEMM): both start every output at its bias and add one FMA per (kh, kw, c_in) in
/// that order, so on random data they must be bitwise equal, whatever the tile, the run over
/// the padded width (stride 1), the thread split, or whether the copy read NHWC or NCHW.
@Suite(.enabled(if: ISA.avx512.isSupported, "needs AVX-512 F/VL/BW/DQ"))
struct ConvPaddedDirectTests {
  @Test(
    arguments: [
      "n1c3h17w19o32k3s2p1", "n1c16h14w14o48k3s1p1", "n2c8h9w11o40k3s1p1",
      "n1c24h7w7o16k3s1p1", "n1c5h13w10o17k5s1p2", "n1c32h15w15o64k3s2p1",
      "n1c7h6w25o33k1s1p0", "n1c16h12w12o32k3s1p0",
    ])
  func bitwiseEqualToTheAVX2DirectConvolution(descriptor: String) throws {
    let p = try ConvProblem(descriptor: descriptor)
    var random = SplitMix64(seed: UInt64(descriptor.utf8.count * 131 + p.outChannels))
    func values(_ count: Int) -> [Float] {
      (0..<count).map { _ in Float.random(in: -1..<1, using: &random) }
    }
    let weights = values(p.weightCount)
    let bias = values(p.outChannels)
    let src = values(p.batch * p.height * p.width * p.inChannels)
    let count = p.batch * p.outHeight * p.outWidth * p.outChannels
    func output(avx512: Bool, threads: Int) -> [Float] {
      let pool = WorkerPool.with(threads: threads)
      let kernel: any PreparedKernel =
        avx512
        ? ConvPaddedDirectKernel(
          p, threads: threads, pool: pool, weights: weights, bias: bias, relu: true)
        : ConvDirectKernel(
          p, threads: threads, pool: pool, weights: weights, bias: bias, relu: true)
      var dst = [Float](repeating: .nan, count: count)
      src.withUnsafeBufferPointer { s in
        dst.withUnsafeMutableBufferPointer { kernel.run(s.baseAddress!, $0.baseAddress!) }
      }
      return dst
    }
    let expected = output(avx512: false, threads: 1)
    #expect(!expected.contains { $0.isNaN } && expected.contains { $0 > 0 })
    for threads in [1, 2] {
      let actual = output(avx512: true, threads: threads)
      #expect(
        zip(expected, actual).allSatisfy { $0.bitPattern == $1.bitPattern },
        "\(descriptor) on \(threads) threads")
    }

    // The same input as NCHW planes, gathered by the copy: the same bits again.
    var planar = [Float](repeating: .nan, count: src.count)
    let (h, w, c) = (p.height, p.width, p.inChannels)
    for n in 0..<p.batch {
      for y in 0..<h {
        for x in 0..<w {
          for k in 0..<c {
            planar[((n * c + k) * h + y) * w + x] = src[((n * h + y) * w + x) * c + k]
          }
        }
      }
    }
    for threads in [1, 2] {
      let kernel = ConvPaddedDirectKernel(
        p, threads: threads, pool: .with(threads: threads), weights: weights, bias: bias,
        relu: true, planarInput: true)
      var dst = [Float](repeating: .nan, count: count)
      planar.withUnsafeBufferPointer { s in
        dst.withUnsafeMutableBufferPointer { kernel.run(s.baseAddress!, $0.baseAddress!) }
      }
      #expect(
        zip(expected, dst).allSatisfy { $0.bitPattern == $1.bitPattern },
        "\(descriptor), NCHW input, on \(threads) threads")
    }
  }
}
