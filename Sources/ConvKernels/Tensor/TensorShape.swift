/// The logical shape of an activation tensor, independent of its layout.
public struct TensorShape: Hashable, Sendable, Codable, CustomStringConvertible {
  public var n: Int
  public var c: Int
  public var h: Int
  public var w: Int

  public init(n: Int, c: Int, h: Int, w: Int) {
    self.n = n
    self.c = c
    self.h = h
    self.w = w
  }

  /// Number of elements.
  public var count: Int { n * c * h * w }

  /// Linear index of element (n, c, h, w) in `layout`.
  @inline(__always)
  public func index(_ n: Int, _ c: Int, _ h: Int, _ w: Int, in layout: Layout) -> Int {
    switch layout {
    case .nchw: ((n * self.c + c) * self.h + h) * self.w + w
    case .nhwc: ((n * self.h + h) * self.w + w) * self.c + c
    }
  }

  /// Element strides (n, c, h, w) of this shape in `layout`.
  public func strides(in layout: Layout) -> (n: Int, c: Int, h: Int, w: Int) {
    switch layout {
    case .nchw: (c * h * w, h * w, w, 1)
    case .nhwc: (h * w * c, 1, w * c, c)
    }
  }

  public var description: String { "\(n)x\(c)x\(h)x\(w)" }
}
