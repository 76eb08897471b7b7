import ConvKernels
import Foundation
import KernelCatalog

/// The plans of an earlier `sepbench network` folder (its `meta.json`), to run again exactly:
/// the same kernel per stage, the same depth-first pairs and band height, with no tuning and
/// no choice inside the network. So two builds, two machines or two sessions can run one
/// plan, and a layer's time compares kernel with kernel.
public struct StoredNetworkPlans: Decodable, Sendable {
  public let network: String
  public let width: Double
  public let resolution: Int
  public let plans: [NetworkPlanSummary]

  /// Reads `folder/meta.json`.
  /// - Throws: `NetworkPlanError` when there is none, or it holds no network plans.
  public static func read(_ folder: String) throws(NetworkPlanError) -> StoredNetworkPlans {
    let url = URL(fileURLWithPath: folder).appendingPathComponent("meta.json")
    guard let data = try? Data(contentsOf: url) else {
      throw NetworkPlanError(
        description: "--plan '\(folder)' has no meta.json; give a `sepbench network` folder")
    }
    let stored: StoredNetworkPlans
    do {
      stored = try JSONDecoder().decode(StoredNetworkPlans.self, from: data)
    } catch let error as DecodingError {
      throw NetworkPlanError(
        description:
          "--plan '\(folder)': meta.json is not a network folder's (\(Self.describe(error))); give a `sepbench network` folder"
      )
    } catch {
      throw NetworkPlanError(
        description: "--plan '\(folder)': meta.json cannot be read: \(error)")
    }
    guard !stored.plans.isEmpty else {
      throw NetworkPlanError(
        description:
          "--plan '\(folder)' holds no network plans in its meta.json; give a `sepbench network` folder"
      )
    }
    return stored
  }

  /// Where a decoding failed and why, e.g. `plans[0].stages[3].aloneTimeNs: missing`.
  static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context, _ key: CodingKey? = nil) -> String {
      var text = ""
      for key in context.codingPath + (key.map { [$0] } ?? []) {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += (text.isEmpty ? "" : ".") + key.stringValue
        }
      }
      return text.isEmpty ? "the top level" : text
    }
    switch error {
    case .keyNotFound(let key, let context): return "\(path(context, key)): missing"
    case .valueNotFound(_, let context): return "\(path(context)): null"
    case .typeMismatch(let type, let context): return "\(path(context)): not a \(type)"
    case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }

  /// Throws unless the plans are of `network` at width `width` and resolution `resolution`.
  public func check(network: String, width: Double, resolution: Int, folder: String)
    throws(NetworkPlanError)
  {
    guard self.network == network, self.width == width, self.resolution == resolution else {
      throw NetworkPlanError(
        description:
          "--plan '\(folder)' is of \(self.network) at width \(self.width) and resolution \(self.resolution); run that network, width and resolution, or give another folder"
      )
    }
  }

  /// The plan of `form` on `threads` threads, its stages the network's `stages`, with bands
  /// of `bandRows` rows where given (else the stored height).
  /// - Throws: `NetworkPlanError` when the folder has no such plan, a stage's kernel is
  ///   unknown or cannot run here, or the plan misses a stage or pairs overlapping stages.
  public func plan(
    _ form: NetworkForm, threads: Int, stages: [NetworkStage], bandRows: Int?, folder: String
  ) throws(NetworkPlanError) -> NetworkPlan {
    guard let summary = plans.first(where: { $0.model == form.rawValue && $0.threads == threads })
    else {
      let held = plans.map { "\($0.model) on \($0.threads)" }.joined(separator: ", ")
      throw NetworkPlanError(
        description:
          "--plan '\(folder)' holds no plan for the \(form.rawValue) network on \(threads) thread(s), only \(held) thread(s); ask for those with --twin and --threads"
      )
    }
    if let rows = summary.depthFirstBandRows, !(1...1024).contains(rows) {
      throw NetworkPlanError(
        description:
          "--plan '\(folder)': depthFirstBandRows \(rows) is not allowed; use 1 to 1024")
    }
    guard let layout = Layout(rawValue: summary.layout) else {
      throw NetworkPlanError(
        description: "--plan '\(folder)': layout '\(summary.layout)' is not one of nchw, nhwc")
    }
    var choices: [String: StageChoice] = [:]
    for stage in stages {
      guard let op = stage.op, let problem = stage.problem else { continue }
      guard let stored = summary.stages.first(where: { $0.stage == stage.name }) else {
        throw NetworkPlanError(
          description: "--plan '\(folder)' has no kernel for stage \(stage.name)")
      }
      guard stored.threads == 1 || stored.threads == threads else {
        throw NetworkPlanError(
          description:
            "--plan '\(folder)': stage \(stage.name) runs on \(stored.threads) thread(s); a plan for \(threads) thread(s) allows \(threads == 1 ? "1" : "1 or \(threads)")"
        )
      }
      let variant = try Self.variant(stored, op: op, layout: layout, folder: folder)
      if let reason = VariantRegistry.skipReason(variant, on: problem.part(for: op)) {
        throw NetworkPlanError(
          description:
            "--plan '\(folder)': \(variant.id) cannot run \(stage.name) here: \(reason)")
      }
      choices[stage.name] = StageChoice(
        stage: stage.name, variant: variant, aloneNanoseconds: stored.aloneTimeNs,
        source: stored.source)
    }
    let names = stages.map(\.name)
    let firsts = summary.stages.filter { $0.depthFirstWithNext == true }.map(\.stage)
    for first in firsts {
      guard let index = names.firstIndex(of: first), index + 1 < names.count else {
        throw NetworkPlanError(
          description:
            "--plan '\(folder)': stage \(first) runs depth-first with the next, but no stage follows it"
        )
      }
      if firsts.contains(names[index + 1]) {
        throw NetworkPlanError(
          description:
            "--plan '\(folder)': the depth-first pairs at \(first) and \(names[index + 1]) overlap; a stage is in one pair at most"
        )
      }
    }
    return NetworkPlan(
      form: form, threads: threads, layout: layout, choices: choices,
      depthFirst: Set(firsts),
      bandRows: bandRows ?? summary.depthFirstBandRows ?? NetworkPlan.defaultBandRows)
  }

  /// The variant whose id a stored stage names: a registered family of `op` in `layout`, or a
  /// stem that reads the planar image.
  static func variant(
    _ stored: NetworkPlanSummary.Stage, op: Op, layout: Layout, folder: String
  ) throws(NetworkPlanError) -> any KernelVariant {
    let registered = VariantRegistry.variants(
      of: VariantRegistry.families(for: op), layouts: [layout], threads: [stored.threads])
    let stems: [any KernelVariant] =
      op == .convBlock ? PlanarInputStems.variants(threads: stored.threads) : []
    guard
      let variant = (registered + stems).first(where: {
        $0.id == stored.variant && $0.layout == layout
      })
    else {
      throw NetworkPlanError(
        description:
          "--plan '\(folder)': kernel \(stored.variant) of stage \(stored.stage) is not one this build has"
      )
    }
    return variant
  }
}
