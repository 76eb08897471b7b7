import ConvKernels

extension SIMD16 where Scalar == Float {
  /// Loads 16 floats from `pointer` (any alignment).
  @inline(__always)
  static func load(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
  }

  /// Loads 16 floats from `pointer` (any alignment).
  @inline(__always)
  static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
  }

  /// Loads the first `count` (0...16) floats at `pointer`; the other lanes are zero and their
  /// memory is not read.
  @inline(__always)
  static func load(_ pointer: UnsafePointer<Float>, count: Int) -> SIMD16<Float> {
    var v = SIMD16<Float>.zero
    for lane in 0..<count { v[lane] = pointer[lane] }
    return v
  }

  /// Stores the 16 lanes at `pointer` (any alignment).
  @inline(__always)
  func store(to pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: SIMD16<Float>.self)
  }

  /// Stores the first `count` (0...16) lanes at `pointer`; writes nothing else.
  @inline(__always)
  func store(to pointer: UnsafeMutablePointer<Float>, count: Int) {
    for lane in 0..<count { pointer[lane] = self[lane] }
  }
}
