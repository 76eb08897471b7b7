/// An activation tensor: a shape, a layout, and aligned storage.
///
/// Storage is shared by reference (copies of a `Tensor` see the same floats); kernels write
/// outputs through `pointer`.
public struct Tensor: Sendable {
  /// Logical shape.
  public let shape: TensorShape
  /// Element order in memory.
  public let layout: Layout
  /// The buffer that holds the floats, in `layout` order, from `offset` on.
  public let storage: AlignedBuffer
  /// Where this tensor starts in `storage` (0 unless it shares a buffer with another tensor).
  public let offset: Int

  /// A tensor filled with `value`.
  public init(shape: TensorShape, layout: Layout, value: Float = 0) {
    self.shape = shape
    self.layout = layout
    self.storage = AlignedBuffer(count: shape.count, value: value)
    self.offset = 0
  }

  /// A tensor holding `values`, already in `layout` order.
  public init(shape: TensorShape, layout: Layout, values: [Float]) {
    precondition(values.count == shape.count, "\(values.count) values for shape \(shape)")
    self.shape = shape
    self.layout = layout
    self.storage = AlignedBuffer(values)
    self.offset = 0
  }

  /// A copy of `input` and a zeroed output of `outputShape` in `input`'s layout, in one
  /// allocation with the output above the input (each 64-byte aligned): their order in
  /// memory is fixed, whatever the allocator does.
  public static func pair(copying input: Tensor, outputShape: TensorShape) -> (
    input: Tensor, output: Tensor
  ) {
    let lane = AlignedBuffer.alignment / MemoryLayout<Float>.stride
    let gap = (input.shape.count + lane - 1) / lane * lane
    let storage = AlignedBuffer(count: gap + outputShape.count)
    storage.pointer.update(from: input.pointer, count: input.shape.count)
    return (
      Tensor(shape: input.shape, layout: input.layout, storage: storage, offset: 0),
      Tensor(shape: outputShape, layout: input.layout, storage: storage, offset: gap)
    )
  }

  private init(shape: TensorShape, layout: Layout, storage: AlignedBuffer, offset: Int) {
    self.shape = shape
    self.layout = layout
    self.storage = storage
    self.offset = offset
  }

  /// Start of the storage.
  public var pointer: UnsafeMutablePointer<Float> { storage.pointer + offset }

  /// Element (n, c, h, w), wherever the layout puts it.
  public subscript(n: Int, c: Int, h: Int, w: Int) -> Float {
    get { pointer[shape.index(n, c, h, w, in: layout)] }
    nonmutating set { pointer[shape.index(n, c, h, w, in: layout)] = newValue }
  }

  /// The contents as an array in this tensor's layout.
  public var values: [Float] { Array(UnsafeBufferPointer(start: pointer, count: shape.count)) }
}
