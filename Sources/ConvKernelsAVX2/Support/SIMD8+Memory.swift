import ConvKernels

extension SIMD8 where Scalar == Float {
  /// Loads 8 floats from `pointer` (any alignment).
  @inline(__always)
  static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
  }

  /// Loads 8 floats from `pointer` (any alignment).
  @inline(__always)
  static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
  }

  /// Stores the 8 lanes at `pointer` (any alignment).
  @inline(__always)
  func store(to pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: SIMD8<Float>.self)
  }
}
