import ConvKernels
import Harness
import Reports

/// A domain error that means "the user asked for something impossible": printed as one line,
/// exit code 2.
protocol BadInput: Error, CustomStringConvertible {}

extension ProblemError: BadInput {}

/// A bad command-line value that argument-parser cannot catch by itself.
struct UsageError: BadInput {
  let description: String
  init(_ description: String) { self.description = description }
}

extension FileError: BadInput {}
extension CSVError: BadInput {}
extension RegressionInputError: BadInput {}
extension TurnTaking.OpenError: BadInput {}
extension TurnFIFOs.MakeError: BadInput {}
