/// Negative numbers after an option (`--threads -1`, `--seed -1`, `--max-case-time -1s`).
///
/// argument-parser reads a token that starts with a dash as an option name, so `--threads -1`
/// fails with "Missing value for '--threads'" before the option's own check can say what is
/// allowed. `sepbench` has no option spelt as a dash and a digit, so such a token after a long
/// option can only be meant as its value: it is passed on as `--threads=-1`, which
/// argument-parser hands to the option, whose check then names the value and the range.
enum NegativeNumbers {
  /// `arguments` (without the program name) with every `--option -<number>` pair joined into
  /// `--option=-<number>`. Arguments after `--` are left alone.
  static func joined(_ arguments: [String]) -> [String] {
    var result: [String] = []
    var index = arguments.startIndex
    while index < arguments.endIndex {
      let argument = arguments[index]
      if argument == "--" {
        result += arguments[index...]
        break
      }
      let next = index + 1
      if argument.hasPrefix("--"), argument.count > 2, !argument.contains("="),
        next < arguments.endIndex, isNegativeNumber(arguments[next])
      {
        result.append(argument + "=" + arguments[next])
        index = next + 1
      } else {
        result.append(argument)
        index = next
      }
    }
    return result
  }

  /// True for a dash followed by a digit or by a dot and a digit: `-1`, `-0.5`, `-1s`, `-.5`.
  static func isNegativeNumber(_ token: String) -> Bool {
    let scalars = Array(token.unicodeScalars.prefix(3))
    guard scalars.count >= 2, scalars[0] == "-" else { return false }
    let isDigit = { (scalar: Unicode.Scalar) in ("0"..."9").contains(scalar) }
    return isDigit(scalars[1]) || (scalars[1] == "." && scalars.count == 3 && isDigit(scalars[2]))
  }
}
