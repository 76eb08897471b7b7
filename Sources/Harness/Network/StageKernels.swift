import ConvKernels

/// Global average pooling of one image to one value per channel, in either layout (the
/// output, C x 1 x 1, is the same in both). Float sums, one pass over the input.
final class AveragePoolKernel: PreparedKernel {
  let shape: TensorShape
  let layout: Layout

  init(shape: TensorShape, layout: Layout) {
    precondition(shape.n == 1, "batch 1")
    self.shape = shape
    self.layout = layout
  }

  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    let channels = shape.c
    let plane = shape.h * shape.w
    let scale = 1 / Float(plane)
    switch layout {
    case .nchw:
      for c in 0..<channels {
        let row = src + c * plane
        var sum: Float = 0
        for i in 0..<plane { sum += row[i] }
        dst[c] = sum * scale
      }
    case .nhwc:
      dst.update(repeating: 0, count: channels)
      for pixel in 0..<plane {
        let row = src + pixel * channels
        for c in 0..<channels { dst[c] += row[c] }
      }
      for c in 0..<channels { dst[c] *= scale }
    }
  }
}

/// The FC layer: a pointwise kernel on the 1x1 map, then the bias added in place.
final class FullyConnectedKernel: PreparedKernel {
  let product: any PreparedKernel
  let bias: AlignedBuffer

  init(product: any PreparedKernel, bias: [Float]) {
    self.product = product
    self.bias = AlignedBuffer(bias)
  }

  func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    product.run(src, dst)
    let b = bias.pointer
    for i in 0..<bias.count { dst[i] += b[i] }
  }
}

/// The NCHW input image copied to NHWC.
package final class ReorderKernel: PreparedKernel {
  let shape: TensorShape

  package init(shape: TensorShape) {
    precondition(shape.n == 1, "batch 1")
    self.shape = shape
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    PlaneInterleave.copy(
      src, planeStride: shape.h * shape.w, channels: shape.c, pixels: shape.h * shape.w,
      into: dst)
  }
}
