import ConvKernels
import Harness

/// The columns of `results.csv`, in order. Names are a public contract: columns are only ever
/// added (with a new `schema` number), never renamed or removed. Counter columns
/// (`ctr_<EVENT>`) and derived metrics follow these.
public enum ResultsColumn: String, CaseIterable, Sendable {
  /// Schema version of the file (integer).
  case schema
  /// Suite name.
  case suite
  /// Suite case (shape) name.
  case caseName = "case"
  /// Operator: conv, dw, pw, sep_block, conv_block.
  case op
  /// Variant family (e.g. naive, packed-gemm).
  case variant
  /// nchw or nhwc.
  case layout
  /// Threads the variant used.
  case threads
  /// Batch.
  case n
  /// Input channels of the operator.
  case cIn = "c_in"
  /// Input height of the operator.
  case h
  /// Input width of the operator.
  case w
  /// Output channels of the operator.
  case cOut = "c_out"
  /// Kernel height.
  case kh
  /// Kernel width.
  case kw
  /// Stride.
  case stride
  /// Padding on each side.
  case pad
  /// Output height.
  case hOut = "h_out"
  /// Output width.
  case wOut = "w_out"
  /// Multiply-accumulates per iteration.
  case macs
  /// Floating-point operations per iteration (2 per MAC, plus BN and ReLU).
  case flops
  /// Convolution weights.
  case params
  /// Minimum bytes moved per iteration.
  case bytesMin = "bytes_min"
  /// Timed samples taken.
  case reps
  /// Iterations per sample.
  case iters
  /// Fastest sample, ns per iteration.
  case timeMinNs = "time_min_ns"
  /// Median sample, ns per iteration.
  case timeMedianNs = "time_median_ns"
  /// Mean sample, ns per iteration.
  case timeMeanNs = "time_mean_ns"
  /// 90th percentile sample, ns per iteration.
  case timeP90Ns = "time_p90_ns"
  /// Standard deviation of the samples, ns.
  case timeStddevNs = "time_stddev_ns"
  /// FLOPs / median time, GFLOP/s.
  case gflops
  /// bytes_min / median time, GB/s.
  case gbps
  /// Largest |output - reference|.
  case maxAbsErr = "max_abs_err"
  /// ok, failed or skipped.
  case status
  /// Printed variant id, op.family.layout[.tN].
  case variantID = "variant_id"
  /// Groups of the operator's convolution.
  case groups
  /// Batch-norm parameters (4 per normalised channel).
  case bnParams = "bn_params"
  /// flops / bytes_min.
  case arithmeticIntensity = "arithmetic_intensity"
  /// Low end of the 95% confidence interval of the median, ns.
  case timeMedianCILowNs = "time_median_ci_low_ns"
  /// High end of the 95% confidence interval of the median, ns.
  case timeMedianCIHighNs = "time_median_ci_high_ns"
  /// Why a case was skipped or failed, or the variant's note (e.g. workspace size).
  case note
  /// Instruction-set level of the variant's family: generic, avx2, avx512 (schema 2).
  case isa
  /// How the variant computes the operator: direct (including im2col and GEMM) or winograd
  /// (schema 3).
  case algorithm
  /// Multiplications the algorithm performs per iteration: `macs` for a direct algorithm,
  /// the transformed-domain products for Winograd (schema 3).
  case algorithmMults = "algorithm_mults"
  /// FLOPs of the timed input and output transforms per iteration; 0 for a direct algorithm
  /// (schema 3).
  case transformFlops = "transform_flops"
  /// Percent of the machine's CPU time (all CPUs) that the hypervisor stole while the case's
  /// samples were taken, from `/proc/stat`, as `top`'s `st`; shared by the rows of one suite
  /// case, whose samples interleave. Empty when not timed or not Linux (schema 4).
  case stealPct = "steal_pct"
  /// Median GFLOP/s of the FMA peak loop of the row's ISA and thread count, timed in the same
  /// round-robin rounds as the row's samples (`PeakProbe`). Empty when ceilings were not
  /// measured (schema 5).
  case pairedPeakGFLOPS = "paired_peak_gflops"
  /// Median over the rounds of 100 x (the sample's GFLOP/s) / (that round's peak GFLOP/s):
  /// the share of the peak in force while the kernel ran, which a drifting machine speed
  /// does not bias the way it biases `pct_peak_flops` (schema 5).
  case pctPairedPeakFlops = "pct_paired_peak_flops"

  /// The current schema version (2 added `isa`; 3 added `algorithm`, `algorithm_mults` and
  /// `transform_flops`; 4 added `steal_pct`; 5 added `paired_peak_gflops` and
  /// `pct_paired_peak_flops`).
  public static let schemaVersion = 5

  /// The first columns DESIGN.md requires of every results file.
  public static let required: [ResultsColumn] = Array(allCases.prefix(while: { $0 != .variantID }))

  /// This column's cell for `row`.
  func cell(_ row: CaseResult) -> String {
    let p = row.problem
    let s = row.statistics
    switch self {
    case .schema: return String(Self.schemaVersion)
    case .suite: return row.suite
    case .caseName: return row.caseName
    case .op: return row.op.rawValue
    case .variant: return row.family
    case .layout: return row.layout.rawValue
    case .threads: return String(row.threads)
    case .n: return String(p.batch)
    case .cIn: return String(p.inChannels)
    case .h: return String(p.height)
    case .w: return String(p.width)
    case .cOut: return String(p.outChannels)
    case .kh: return String(p.kernelH)
    case .kw: return String(p.kernelW)
    case .stride: return String(p.stride)
    case .pad: return String(p.pad)
    case .hOut: return String(p.outHeight)
    case .wOut: return String(p.outWidth)
    case .macs: return String(row.cost.macs)
    case .flops: return String(row.cost.flops)
    case .params: return String(row.cost.params)
    case .bytesMin: return String(row.cost.bytesMin)
    case .reps: return String(row.samples.count)
    case .iters: return String(row.iterations)
    case .timeMinNs: return DecimalText.text(s?.min, digits: 1)
    case .timeMedianNs: return DecimalText.text(s?.median, digits: 1)
    case .timeMeanNs: return DecimalText.text(s?.mean, digits: 1)
    case .timeP90Ns: return DecimalText.text(s?.p90, digits: 1)
    case .timeStddevNs: return DecimalText.text(s?.standardDeviation, digits: 1)
    case .gflops: return DecimalText.text(row.gflops, digits: 3)
    case .gbps: return DecimalText.text(row.gbps, digits: 3)
    case .maxAbsErr: return DecimalText.text(row.maxAbsError, digits: 12)
    case .status: return row.status.rawValue
    case .variantID: return row.variantID
    case .groups: return String(p.groups)
    case .bnParams: return String(row.cost.bnParams)
    case .arithmeticIntensity: return DecimalText.text(row.cost.arithmeticIntensity, digits: 4)
    case .timeMedianCILowNs: return DecimalText.text(s?.medianLow, digits: 1)
    case .timeMedianCIHighNs: return DecimalText.text(s?.medianHigh, digits: 1)
    case .note: return row.note
    case .isa: return row.isa.rawValue
    case .algorithm: return row.algorithm.rawValue
    case .algorithmMults: return String(row.algorithmCost.mults)
    case .transformFlops: return String(row.algorithmCost.transformFlops)
    case .stealPct: return DecimalText.text(row.stealPercent, digits: 1)
    case .pairedPeakGFLOPS: return DecimalText.text(row.pairedPeak?.peakGFLOPS, digits: 2)
    case .pctPairedPeakFlops: return DecimalText.text(row.pairedPeak?.percent, digits: 2)
    }
  }
}
