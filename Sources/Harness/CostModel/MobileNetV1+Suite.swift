import ConvKernels

/// A block shape with a stable name, for benchmark suites.
public struct NamedShape: Hashable, Sendable {
  /// Case name, e.g. `mbv1.b01`.
  public let name: String
  /// The block shape (groups 1; see `ConvProblem.part(for:)`).
  public let problem: ConvProblem

  public init(name: String, problem: ConvProblem) {
    self.name = name
    self.problem = problem
  }
}

extension MobileNetV1 {
  /// The 13 separable block shapes of MobileNetV1 1.0/224, named `mbv1.b01` ... `mbv1.b13`,
  /// e.g. `mbv1.b01` = `n1c32h112w112o64k3s1p1`, `mbv1.b13` = `n1c1024h7w7o1024k3s1p1`. Each
  /// is the standard twin (C_in, C_out, 3x3, stride, pad 1, input H and W): `conv_block` runs
  /// it as is, `sep_block` as depthwise + pointwise.
  public static let blockShapes: [NamedShape] = {
    // 1.0/224 is inside every limit, so this cannot throw.
    let shapes = try! separableBlockShapes(width: 1, resolution: 224)
    return shapes.enumerated().map { NamedShape(name: "mbv1." + blockName($0.offset), problem: $0.element) }
  }()
}
