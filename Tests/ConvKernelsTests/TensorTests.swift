import ConvKernels
import Testing

@Suite struct TensorTests {
  static let shape = TensorShape(n: 2, c: 3, h: 4, w: 5)

  @Test func nchwToNHWCAndBackIsTheIdentity() {
    let original = Tensor.random(shape: Self.shape, layout: .nchw, seed: 9)
    let nhwc = original.converted(to: .nhwc)
    #expect(nhwc.layout == .nhwc)
    #expect(nhwc.values != original.values)  // really reordered
    #expect(nhwc.converted(to: .nchw).values == original.values)
  }

  @Test func conversionMovesEachElementToItsLayoutIndex() {
    // Value = NCHW linear index; in NHWC element (n, c, h, w) sits at ((n*H + h)*W + w)*C + c.
    let s = Self.shape
    let nchw = Tensor(shape: s, layout: .nchw, values: (0..<s.count).map(Float.init))
    let nhwc = nchw.converted(to: .nhwc)
    let values = nhwc.values
    for n in 0..<s.n {
      for c in 0..<s.c {
        for h in 0..<s.h {
          for w in 0..<s.w {
            let expected = Float(((n * s.c + c) * s.h + h) * s.w + w)
            #expect(values[((n * s.h + h) * s.w + w) * s.c + c] == expected)
            #expect(nhwc[n, c, h, w] == expected)
          }
        }
      }
    }
  }

  @Test func randomTensorIsTheSameLogicalTensorInEveryLayout() {
    let a = Tensor.random(shape: Self.shape, layout: .nchw, seed: 4)
    let b = Tensor.random(shape: Self.shape, layout: .nhwc, seed: 4)
    #expect(b.converted(to: .nchw).values == a.values)
  }

  @Test func convertingToTheSameLayoutSharesStorage() {
    let a = Tensor(shape: Self.shape, layout: .nhwc, value: 2)
    #expect(a.converted(to: .nhwc).pointer == a.pointer)
  }
}

@Suite struct TensorPairTests {
  @Test func theOutputLiesAboveACopyOfTheInputInOneAlignedAllocation() {
    let inputShape = TensorShape(n: 1, c: 3, h: 5, w: 7)  // 105 floats: not a multiple of 16
    let outputShape = TensorShape(n: 1, c: 2, h: 3, w: 3)
    let original = Tensor.random(shape: inputShape, layout: .nhwc, seed: 3)
    let (input, output) = Tensor.pair(copying: original, outputShape: outputShape)
    #expect(input.storage === output.storage)
    #expect(input.storage !== original.storage, "a copy, not the caller's buffer")
    #expect(output.pointer - input.pointer == 112, "105 floats rounded up to a 64-byte line")
    #expect(Int(bitPattern: output.pointer) % AlignedBuffer.alignment == 0)
    #expect(input.values == original.values)
    #expect(output.values == [Float](repeating: 0, count: 18))
    #expect(input.layout == .nhwc && output.layout == .nhwc && output.shape == outputShape)
    output[0, 1, 2, 2] = 5
    #expect(output.values.filter { $0 != 0 } == [5])
    #expect(input.values == original.values, "writing the output leaves the input alone")
  }
}
