import ConvKernels

extension MobileNetV1 {
  /// The 13 separable block shapes of MobileNetV1 1.0/224 as suite cases named `mbv1.b01` ...
  /// `mbv1.b13`, e.g. `mbv1.b01` = `n1c32h112w112o64k3s1p1`, `mbv1.b13` =
  /// `n1c1024h7w7o1024k3s1p1`. Each is the standard twin (C_in, C_out, 3x3, stride, pad 1,
  /// input H and W): `conv_block` runs it as is, `sep_block` as depthwise + pointwise.
  public static let blockShapes: [SuiteCase] = {
    // 1.0/224 is inside every limit, so this cannot throw.
    let shapes = try! separableBlockShapes(width: 1, resolution: 224)
    return shapes.enumerated().map {
      SuiteCase(name: "mbv1." + blockName($0.offset), problem: $0.element)
    }
  }()
}
