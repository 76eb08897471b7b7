/// How a planar-input stem (an NCHW image in, NHWC out) reads the image.
public enum PlanarStemAlgorithm: String, Sendable, CaseIterable {
  /// Register tiles read the image in place; what crosses the padding is gathered or copied
  /// first.
  case direct
  /// Each output pixel's receptive field is gathered into an im2col row, then the GEMM.
  case im2col
}
