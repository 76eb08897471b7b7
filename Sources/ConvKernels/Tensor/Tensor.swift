/// An activation tensor: a shape, a layout, and aligned storage.
///
/// Storage is shared by reference (copies of a `Tensor` see the same floats); kernels write
/// outputs through `pointer`.
public struct Tensor: Sendable {
  /// Logical shape.
  public let shape: TensorShape
  /// Element order in memory.
  public let layout: Layout
  /// The floats, in `layout` order.
  public let storage: AlignedBuffer

  /// A tensor filled with `value`.
  public init(shape: TensorShape, layout: Layout, value: Float = 0) {
    self.shape = shape
    self.layout = layout
    self.storage = AlignedBuffer(count: shape.count, value: value)
  }

  /// A tensor holding `values`, already in `layout` order.
  public init(shape: TensorShape, layout: Layout, values: [Float]) {
    precondition(values.count == shape.count, "\(values.count) values for shape \(shape)")
    self.shape = shape
    self.layout = layout
    self.storage = AlignedBuffer(values)
  }

  /// Start of the storage.
  public var pointer: UnsafeMutablePointer<Float> { storage.pointer }

  /// Element (n, c, h, w), wherever the layout puts it.
  public subscript(n: Int, c: Int, h: Int, w: Int) -> Float {
    get { storage.pointer[shape.index(n, c, h, w, in: layout)] }
    nonmutating set { storage.pointer[shape.index(n, c, h, w, in: layout)] = newValue }
  }

  /// The contents as an array in this tensor's layout.
  public var values: [Float] { storage.array }
}
