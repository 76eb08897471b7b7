import ConvKernels
import Testing

@Suite struct AlignedBufferTests {
  @Test(arguments: [0, 1, 3, 17, 1000, 4097])
  func storageStartsOnA64ByteBoundary(count: Int) {
    let buffer = AlignedBuffer(count: count, value: 1.5)
    #expect(Int(bitPattern: buffer.pointer) % 64 == 0)
    #expect(AlignedBuffer.alignment == 64)
    #expect(buffer.array == [Float](repeating: 1.5, count: count))
  }

  @Test func copiesAndFills() {
    let buffer = AlignedBuffer([1, 2, 3])
    #expect(buffer.array == [1, 2, 3])
    buffer.fill(-2)
    #expect(Array(buffer.buffer) == [-2, -2, -2])
  }
}
