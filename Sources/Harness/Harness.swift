import ConvKernels
import Counters
