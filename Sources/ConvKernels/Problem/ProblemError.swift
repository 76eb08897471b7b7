/// Why a problem, descriptor or operator request is not valid. `description` is the single
/// line the command line prints.
public enum ProblemError: Error, Equatable, CustomStringConvertible, Sendable {
  /// A field holds a value outside its allowed range.
  case invalidField(field: String, value: Int, allowed: String)
  /// A shape descriptor could not be parsed; `rest` is the text from where parsing failed.
  case malformedDescriptor(String, rest: String)
  /// A problem that is valid on its own but not for the operator asked of it.
  case wrongShapeForOp(op: Op, reason: String)
  /// The element or operation counts of the problem, or of one of its parts, do not fit in
  /// 64 bits.
  case countOverflow(descriptor: String)
  /// The tensors of the problem do not fit the memory budget: `what` needs `bytes`, at most
  /// `limit` bytes are allowed, and `limitedBy` says which limit sets the budget.
  case tooLarge(what: String, bytes: Int, limit: Int, limitedBy: String)

  public var description: String {
    switch self {
    case .invalidField(let field, let value, let allowed):
      "\(field) = \(value) is not allowed; \(field) must be \(allowed)"
    case .malformedDescriptor(let text, let rest):
      "cannot parse shape descriptor '\(EchoedText(text))' at '\(EchoedText(rest))'; expected fields like n1c128h56w56o128k3s1p1"
    case .wrongShapeForOp(let op, let reason):
      "problem does not fit op \(op.rawValue): \(reason)"
    case .countOverflow(let descriptor):
      "shape \(descriptor) is too large: its element or multiply-accumulate counts, or those of its depthwise part, exceed 2^63"
    case .tooLarge(let what, let bytes, let limit, let limitedBy):
      "\(what) needs about \(Self.gibibytes(bytes)) of memory; at most \(Self.gibibytes(limit)) is allowed here (\(limitedBy))"
    }
  }

  /// `bytes` in GiB with enough digits to tell small budgets apart: `1024.0 GiB`, `0.25 GiB`,
  /// `0.0012 GiB`; below 1 MiB in bytes.
  public static func gibibytes(_ bytes: Int) -> String {
    guard bytes >= 1 << 20 else { return "\(bytes) bytes" }
    let value = Double(bytes) / Double(1 << 30)
    var digits = 1
    while digits < 6 && value > 0 && value < 10 / pow10(digits) { digits += 1 }
    let scale = pow10(digits)
    let rounded = (value * scale).rounded() / scale
    return "\(rounded) GiB"
  }

  private static func pow10(_ n: Int) -> Double {
    (0..<n).reduce(1.0) { value, _ in value * 10 }
  }
}
