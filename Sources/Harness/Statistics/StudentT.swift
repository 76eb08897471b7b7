import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Student's t distribution, for the intervals of paired block comparisons.
public enum StudentT {
  private struct Key: Hashable {
    let p: Double
    let degrees: Int
  }

  private static let known = Mutex<[Key: Double]>([:])

  /// The quantile `p` (0.5 < p < 1) of the t distribution with `degrees` degrees of freedom:
  /// bisection on the CDF, integrated with Simpson's rule from 0. Accurate to about 1e-6;
  /// remembered per (p, degrees).
  public static func quantile(_ p: Double, degrees: Int) -> Double {
    precondition(p > 0.5 && p < 1 && degrees >= 1)
    let key = Key(p: p, degrees: degrees)
    if let value = known.withLock({ $0[key] }) { return value }
    let value = solve(p, degrees: degrees)
    known.withLock { $0[key] = value }
    return value
  }

  private static func solve(_ p: Double, degrees: Int) -> Double {
    var low = 0.0
    var high = 1.0
    while cdf(high, degrees: degrees) < p { high *= 2 }
    for _ in 0..<60 {
      let mid = (low + high) / 2
      if cdf(mid, degrees: degrees) < p { low = mid } else { high = mid }
    }
    return (low + high) / 2
  }

  /// P(T <= x) for x >= 0.
  public static func cdf(_ x: Double, degrees: Int) -> Double {
    let v = Double(degrees)
    let logScale = lgamma((v + 1) / 2) - lgamma(v / 2) - 0.5 * log(v * Double.pi)
    // With t = sqrt(v)·tan(u) the density times dt is sqrt(v)·cos(u)^(v-1) du: smooth and
    // bounded on [0, atan(x / sqrt(v))].
    let upper = atan(x / v.squareRoot())
    let steps = 2000
    let h = upper / Double(steps)
    func f(_ u: Double) -> Double {
      exp(logScale) * v.squareRoot() * pow(cos(u), v - 1)
    }
    var sum = f(0) + f(upper)
    for i in 1..<steps { sum += (i % 2 == 1 ? 4 : 2) * f(Double(i) * h) }
    return 0.5 + sum * h / 3
  }
}
