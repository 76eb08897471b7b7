import ArgumentParser
import ConvKernels

extension Layout: ExpressibleByArgument {}
extension Op: ExpressibleByArgument {}
