import ConvKernels
import Harness

extension MeasuredRun {
  /// The median time of every case that passed validation, as layer timings for
  /// `sepbench network --from`: the shape from the plan in `meta.json`, the median over the
  /// samples of every block. Cases whose operator, layout or shape this version does not
  /// know are left out.
  public func layerTimings(source: String) -> [LayerTiming] {
    var found: [LayerTiming] = []
    for key in cases.sorted() {
      let values = blocks.flatMap { $0.samples[key] ?? [] }
      let passed = blocks.allSatisfy { ($0.status[key] ?? "ok") == "ok" }
      guard !values.isEmpty, passed, let op = Op(rawValue: key.op),
        let layout = Layout(rawValue: key.layout),
        let text = blocks.lazy.compactMap({ $0.shapes[key.caseName] }).first,
        let problem = try? ConvProblem(descriptor: text)
      else { continue }
      found.append(
        LayerTiming(
          shape: problem.descriptor, op: op, family: key.variant, layout: layout,
          threads: key.threads, median: SampleStatistics(values).median, source: source))
    }
    return found
  }
}
