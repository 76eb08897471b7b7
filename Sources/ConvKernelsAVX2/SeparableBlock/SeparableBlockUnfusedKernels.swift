import ConvKernels

/// dw -> [BN+ReLU] -> pw -> [BN+ReLU] through one intermediate buffer allocated here.
package final class SeparableChainKernel: PreparedKernel {
  let depthwise: any PreparedKernel
  let depthwisePass: BNReLUPass?
  let pointwise: any PreparedKernel
  let pointwisePass: BNReLUPass?
  let intermediate: AlignedBuffer

  package init(
    intermediateCount: Int, depthwise: any PreparedKernel, depthwisePass: BNReLUPass?,
    pointwise: any PreparedKernel, pointwisePass: BNReLUPass?
  ) {
    self.depthwise = depthwise
    self.depthwisePass = depthwisePass
    self.pointwise = pointwise
    self.pointwisePass = pointwisePass
    intermediate = AlignedBuffer(count: intermediateCount)
  }

  package func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
    depthwise.run(src, intermediate.pointer)
    depthwisePass?.run(intermediate.pointer)
    pointwise.run(intermediate.pointer, dst)
    pointwisePass?.run(dst)
  }
}
