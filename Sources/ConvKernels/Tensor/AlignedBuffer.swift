/// A fixed-size, 64-byte aligned, uninitialised-then-zeroed block of `Float`s.
///
/// Kernels receive its pointer; the buffer keeps the memory alive. It is a class because it
/// owns memory; it is `@unchecked Sendable` because kernels write disjoint parts of it from
/// worker threads while the owner waits (the worker pool's join is the synchronisation).
public final class AlignedBuffer: @unchecked Sendable {
  /// Alignment of every buffer, one cache line (and two AVX2 vectors).
  public static let alignment = 64

  /// Number of floats.
  public let count: Int
  /// Start of the storage; valid for `count` floats while `self` is alive.
  public let pointer: UnsafeMutablePointer<Float>

  /// Allocates `count` floats, all set to `value`.
  public init(count: Int, value: Float = 0) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: Self.alignment)
    pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
    pointer.initialize(repeating: value, count: max(1, count))
  }

  /// Allocates a copy of `values`.
  public convenience init(_ values: [Float]) {
    self.init(count: values.count)
    values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
  }

  deinit { UnsafeMutableRawPointer(pointer).deallocate() }

  /// Sets every element to `value`.
  public func fill(_ value: Float) { pointer.update(repeating: value, count: count) }

  /// The contents as an array (a copy).
  public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

  /// A read-only view of the contents.
  public var buffer: UnsafeBufferPointer<Float> {
    UnsafeBufferPointer(start: pointer, count: count)
  }
}
