/// Layout conversion. Never inside a timed region.
extension Tensor {
  /// This tensor in `target` layout (a copy, or `self` when the layout already matches).
  public func converted(to target: Layout) -> Tensor {
    guard target != layout else { return self }
    let result = Tensor(shape: shape, layout: target)
    let s = shape
    let src = pointer
    let dst = result.pointer
    for n in 0..<s.n {
      for c in 0..<s.c {
        for h in 0..<s.h {
          for w in 0..<s.w {
            dst[s.index(n, c, h, w, in: target)] = src[s.index(n, c, h, w, in: layout)]
          }
        }
      }
    }
    return result
  }
}
