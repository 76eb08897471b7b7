import ConvKernels
import Foundation
import Harness
import KernelCatalog
import Synchronization
import Testing

/// Pairs of stages run depth-first (`DepthFirstPair`, `NetworkPlan.depthFirst`).
@Suite struct DepthFirstTests {
  /// A kernel of the given geometry that records the rows it is asked for and computes
  /// nothing: the seam for the pair's schedule.
  final class RecordingKernel: RowBandKernel {
    let name: String
    let problem: ConvProblem
    let log: Log
    let threads: Int
    let lanes: Int
    init(_ name: String, _ descriptor: String, threads: Int = 1, log: Log) throws {
      self.name = name
      problem = try ConvProblem(descriptor: descriptor)
      self.log = log
      self.threads = threads
      lanes = 4 * threads
    }
    var outputHeight: Int { problem.outHeight }
    func inputRows(for rows: Range<Int>) -> Range<Int> {
      problem.inputRows(forOutputRows: rows)
    }
    func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
      run(rows: 0..<outputHeight, src, dst)
    }
    func run(rows: Range<Int>, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
      log.record("\(name) \(rows.lowerBound)..<\(rows.upperBound)", lane: nil)
    }
    func run(
      rows: Range<Int>, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
      lane: Int
    ) {
      log.record("\(name) \(rows.lowerBound)..<\(rows.upperBound)", lane: lane)
    }
  }

  /// The calls of the recording kernels, in the order they were made (from any thread).
  final class Log: Sendable {
    private let entries = Mutex<[(call: String, lane: Int?)]>([])
    func record(_ call: String, lane: Int?) { entries.withLock { $0.append((call, lane)) } }
    /// Every call, in order.
    var calls: [String] { entries.withLock { $0.map(\.call) } }
    /// The calls made in lane `lane`, in order.
    func calls(inLane lane: Int) -> [String] {
      entries.withLock { $0.filter { $0.lane == lane }.map(\.call) }
    }
  }

  /// MobileNetV1's b01 (stride 1) then b02 (stride 2), 112 rows to 56: the rows of b01 a band
  /// of b02 needs, by hand. A band of b02 rows 0..<4 reads b01 rows 0..<8 (row 3 reads 5, 6,
  /// 7). Writing it over b01's input (a b02 row holds 7168 floats, a b01 input row 3584)
  /// overwrites input rows 0...7, and b01 row 8 still reads row 7: so 9. Rows 4..<8 read up to
  /// row 15 and overwrite up to 15, which b01 row 16 reads: 17.
  @Test func theFirstStageRunsAheadOfTheRowsTheSecondOverwrites() throws {
    let log = Log()
    let first = try RecordingKernel("b01", "n1c32h112w112o64k3s1p1", log: log)
    let second = try RecordingKernel("b02", "n1c64h112w112o128k3s2p1", log: log)
    let overwriting = DepthFirstPair(
      first: first, second: second, overwrite: (inputRowFloats: 3584, outputRowFloats: 7168))
    #expect(overwriting.firstRowsNeeded(before: 0..<4) == 9)
    #expect(overwriting.firstRowsNeeded(before: 4..<8) == 17)
    #expect(overwriting.firstRowsNeeded(before: 52..<56) == 112)
    let separate = DepthFirstPair(first: first, second: second, overwrite: nil)
    #expect(separate.firstRowsNeeded(before: 0..<4) == 8)
    #expect(separate.firstRowsNeeded(before: 4..<8) == 16)
  }

  /// A small pair's whole schedule: first stage `a`, 10 rows of 4 pixels x 4 channels,
  /// stride 1; second stage `b`, stride 2, in bands of 2 rows.
  struct Schedule: Sendable, CustomTestStringConvertible {
    let second: String
    let overwrite: (inputRowFloats: Int, outputRowFloats: Int)?
    let calls: [String]
    let testDescription: String
  }

  static let schedules = [
    // Each band right after the rows of a it reads (b 0..<2 reads a 0..<4, b 2..<4 up to row
    // 8, b 4..<5 up to 10), every row of both once, in order.
    Schedule(
      second: "n1c4h10w4o4k3s2p1", overwrite: nil,
      calls: ["a 0..<4", "b 0..<2", "a 4..<8", "b 2..<4", "a 8..<10", "b 4..<5"],
      testDescription: "bands in order"),
    // The overwrite rule: a b row (1 pixel x 48 channels) holds three input rows of a, so b
    // rows 0..<2 overwrite input rows 0...5, which a rows up to 6 read: a runs to row 7 where
    // the band itself reads rows 0..<5.
    Schedule(
      second: "n1c4h10w4o48k3s2p0", overwrite: (inputRowFloats: 16, outputRowFloats: 48),
      calls: ["a 0..<7", "b 0..<2", "a 7..<10", "b 2..<4"],
      testDescription: "ahead of what a band overwrites"),
    // Without padding, b reads rows 0..<9 of a: row 9 runs after the last band.
    Schedule(
      second: "n1c4h10w4o4k3s2p0", overwrite: nil,
      calls: ["a 0..<5", "b 0..<2", "a 5..<9", "b 2..<4", "a 9..<10"],
      testDescription: "a row no band reads runs last"),
  ]

  @Test(arguments: schedules)
  func aPairRunsItsSchedule(_ schedule: Schedule) throws {
    let log = Log()
    let first = try RecordingKernel("a", "n1c4h10w4o4k3s1p1", log: log)
    let second = try RecordingKernel("b", schedule.second, log: log)
    let pair = DepthFirstPair(
      first: first, second: second, overwrite: schedule.overwrite, bandRows: 2)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    defer { scratch.deallocate() }
    pair.run(scratch, scratch, scratch)  // the recording kernels touch no memory
    #expect(log.calls == schedule.calls)
  }

  /// On 2 threads a pair runs in two lanes, by hand. First stage `a`: 24 rows, stride 1;
  /// second `b`: stride 2, 12 rows, in bands of 2. Lane 0 takes b rows 0..<6 and owns the
  /// a rows they read, 0..<12; lane 1 takes b rows 6..<12 and owns a rows 12..<24. Before the
  /// join each lane runs its bands away from the seam, each right after the a rows it reads,
  /// then the rest of its a rows; after the join, the bands at the seam (b 6..<8 reads a rows
  /// 11..<16, one of them lane 0's).
  @Test func twoThreadsRunAPairInTwoLanes() throws {
    let log = Log()
    let first = try RecordingKernel("a", "n1c4h24w4o4k3s1p1", threads: 2, log: log)
    let second = try RecordingKernel("b", "n1c4h24w4o4k3s2p1", threads: 2, log: log)
    let pair = DepthFirstPair(first: first, second: second, overwrite: nil, bandRows: 2)
    #expect(pair.laneCount == 2)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    defer { scratch.deallocate() }
    pair.run(scratch, scratch, scratch)
    #expect(
      log.calls(inLane: 0) == [
        "a 0..<4", "b 0..<2", "a 4..<8", "b 2..<4", "a 8..<12", "b 4..<6",
      ])
    #expect(log.calls(inLane: 1) == ["a 12..<20", "b 8..<10", "a 20..<24", "b 10..<12", "b 6..<8"])
    #expect(log.calls.count == 11)
    #expect(Set(log.calls.suffix(2)) == ["b 4..<6", "b 6..<8"])
  }

  /// Lanes with the overwrite rule, on MobileNetV1's b01+b02 (a b02 row lies over two b01
  /// input rows): lane 1's first band, b02 rows 30..<32, reads b01 rows 59..<64 and overwrites
  /// input rows 60...63, which b01 row 64 reads, so lane 1 computes b01 rows 56..<65 first.
  /// Lane 0's last band before the join, 24..<26, needs b01 up to row 52 (it overwrites input
  /// rows up to 51); then lane 0 finishes its rows, 53..<56. On b03+b04 a b04 row lies over one
  /// b03 input row: lane 1's bands from row 16 overwrite input rows 16...27, which lane 0's b03
  /// rows (0..<28) still read, so that pair runs band after band.
  @Test func lanesKeepToTheOverwriteRule() throws {
    let log = Log()
    let b01 = try RecordingKernel("b01", "n1c32h112w112o64k3s1p1", threads: 2, log: log)
    let b02 = try RecordingKernel("b02", "n1c64h112w112o128k3s2p1", threads: 2, log: log)
    let pair = DepthFirstPair(
      first: b01, second: b02, overwrite: (inputRowFloats: 3584, outputRowFloats: 7168))
    #expect(pair.laneCount == 2)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    defer { scratch.deallocate() }
    pair.run(scratch, scratch, scratch)
    let lane0 = log.calls(inLane: 0)
    let lane1 = log.calls(inLane: 1)
    #expect(lane0.prefix(2) == ["b01 0..<5", "b02 0..<2"])
    #expect(lane0.suffix(4) == ["b01 49..<53", "b02 24..<26", "b01 53..<56", "b02 26..<28"])
    #expect(lane1.prefix(2) == ["b01 56..<65", "b02 30..<32"])
    #expect(lane1.suffix(2) == ["b02 54..<56", "b02 28..<30"])

    let b03 = try RecordingKernel("b03", "n1c128h56w56o128k3s1p1", threads: 2, log: log)
    let b04 = try RecordingKernel("b04", "n1c128h56w56o256k3s2p1", threads: 2, log: log)
    let crossing = DepthFirstPair(
      first: b03, second: b04, overwrite: (inputRowFloats: 7168, outputRowFloats: 7168))
    #expect(crossing.laneCount == 1)
  }

  /// Real fused kernels in lanes, the second writing over the first's input as in a network
  /// (a second-stage row lies over two input rows, as in b01+b02), on 2 and 3 threads:
  /// whichever lane runs its part before the join first, and on the pool, the pair writes
  /// bitwise what the two stages write one after the other into separate tensors.
  @Test(
    .enabled(if: ISA.avx2.isSupported, "the fused block runs in row bands on AVX2"),
    arguments: [[0, 1], [1, 0], [2, 0, 1], [1, 2, 0]])
  func lanesInAnyOrderWriteWhatTheStagesWrite(order: [Int]) throws {
    let threads = order.count
    let family = try #require(VariantRegistry.family(op: .sepBlock, named: "fused"))
    let prepare = { (descriptor: String, seed: UInt64) throws -> (any RowBandKernel, Int) in
      let problem = try ConvProblem(descriptor: descriptor)
      let parameters = ReferenceCase(op: .sepBlock, problem: problem, seed: seed).parameters
      let kernel = family.init(layout: .nhwc, threads: threads).prepare(
        problem, parameters, pool: .with(threads: threads))
      return (try #require(kernel as? any RowBandKernel), problem.inputShape(for: .sepBlock).count)
    }
    let (first, inputCount) = try prepare("n1c8h40w6o16k3s1p1", 1)
    let (second, middleCount) = try prepare("n1c16h40w6o32k3s2p1", 2)
    let outputCount = 20 * 3 * 32
    let input = Tensor.random(
      shape: TensorShape(n: 1, c: 8, h: 40, w: 6), layout: .nhwc, seed: 3)
    let middle = AlignedBuffer(count: middleCount, value: .nan)
    let output = AlignedBuffer(count: outputCount, value: .nan)
    first.run(input.pointer, middle.pointer)
    second.run(middle.pointer, output.pointer)

    let pair = DepthFirstPair(
      first: first, second: second, overwrite: (inputRowFloats: 48, outputRowFloats: 96))
    #expect(pair.laneCount == threads)
    for onePoolRun in [false, true] {
      let shared = AlignedBuffer(count: max(inputCount, outputCount), value: .nan)
      shared.pointer.update(from: input.pointer, count: inputCount)
      let pairMiddle = AlignedBuffer(count: middleCount, value: .nan)
      if onePoolRun {
        pair.run(shared.pointer, pairMiddle.pointer, shared.pointer)
      } else {
        pair.runLanesOneAfterAnother(order, shared.pointer, pairMiddle.pointer, shared.pointer)
      }
      #expect(pairMiddle.array.map(\.bitPattern) == middle.array.map(\.bitPattern))
      #expect(
        Array(shared.array.prefix(outputCount)).map(\.bitPattern)
          == output.array.map(\.bitPattern), "on the pool: \(onePoolRun)")
    }
  }

  /// The margin is 2 %: kept at 2.1 % faster, not at 1.9 %.
  @Test func aPairIsKeptOnlyWhenItGainsMoreThanTheMargin() {
    #expect(DepthFirstRefinement.keepsDepthFirst(0.979, 1.0))
    #expect(!DepthFirstRefinement.keepsDepthFirst(0.981, 1.0))
    #expect(!DepthFirstRefinement.keepsDepthFirst(1.05, 1.0))
  }

  /// A pair's time is the median of its stages' span per pass, not the sum of their medians.
  @Test func aPairsTimeIsTheMedianOfItsSpan() {
    let timing = NetworkTiming(
      latencies: [10, 20, 30], stageTimes: [[1, 5, 3], [2, 2, 9], [7, 13, 18]])
    // Spans of stages 0...1: 3, 7, 12; the sum of the medians would be 3 + 2 = 5.
    #expect(timing.medianSpan(of: 0...1) == 7)
    #expect(timing.medianSpan(of: 1...2) == 15)
  }

  /// Every fused pair of a small MobileNetV1 depth-first gives bitwise the logits of the same
  /// network layer by layer, passes the end-to-end check, and stamps its stages in order; on
  /// 1 and 2 threads, in bands of 1, 2 and 5 rows.
  @Test(
    .enabled(if: ISA.avx2.isSupported, "the fused block runs in row bands on AVX2"),
    arguments: [(1, 2), (2, 2), (2, 1), (1, 5)])
  func depthFirstPairsGiveTheLogitsOfLayerByLayer(threads: Int, bandRows: Int) throws {
    let stages = try MobileNetV1.model(width: 0.25, resolution: 64).stages(.separable)
    let timings = NetworkFixture.timings(
      for: stages,
      families: [.convBlock: ["bn-folded"], .sepBlock: ["fused"], .pw: ["packed-gemm"]],
      threads: threads)
    let plan = try NetworkPlanner.plan(
      .separable, stages: stages, threads: threads, timings: timings, layouts: [.nhwc])
    let weights = stages.map { StageWeights(for: $0, seed: 3) }
    let input = Tensor.random(
      shape: TensorShape(n: 1, c: 3, h: 64, w: 64), layout: .nchw, seed: 3)
    let layered = CompiledNetwork(plan: plan, stages: stages, weights: weights, input: input)
    #expect(layered.depthFirstCandidates == ["b01", "b03", "b05", "b07", "b09", "b11"])
    let paired = CompiledNetwork(
      plan: plan.runningDepthFirst(Set(layered.depthFirstCandidates)).banding(bandRows),
      stages: stages, weights: weights, input: input)
    // b01+b02 runs in one lane per thread; the later pairs' parts would be too small for a
    // band away from the seam, so they split each band between the threads.
    #expect(paired.depthFirstLanes(at: "b01") == threads)
    #expect(paired.depthFirstLanes(at: "b03") == 1)
    #expect(layered.depthFirstLanes(at: "b01") == nil)
    layered.forward()
    let stamps = UnsafeMutablePointer<UInt64>.allocate(capacity: paired.stages.count + 1)
    defer { stamps.deallocate() }
    paired.forward(stamps: stamps)
    #expect(paired.output.map(\.bitPattern) == layered.output.map(\.bitPattern))
    #expect(paired.output.contains { $0 != 0 })
    for index in 0..<paired.stages.count { #expect(stamps[index] <= stamps[index + 1]) }
    let reference = NetworkReference.forward(stages, weights: weights, input: input.values)
    let check = NetworkValidation(paired, reference: reference)
    #expect(check.passed, "\(check.failureText ?? "")")
    #expect(check.stages.count == stages.count)

    let summary = NetworkPlanSummary(paired.plan, order: stages)
    #expect(summary.depthFirstBandRows == bandRows)
    #expect(NetworkPlanSummary(layered.plan, order: stages).depthFirstBandRows == nil)
    let marked = summary.stages.filter { $0.depthFirstWithNext == true }.map(\.stage)
    #expect(marked == ["b01", "b03", "b05", "b07", "b09", "b11"])
    let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
    #expect(json.components(separatedBy: "depthFirstWithNext").count - 1 == 6)
    let decoded = try JSONDecoder().decode(NetworkPlanSummary.self, from: Data(json.utf8))
    #expect(decoded == summary)
  }

  /// A stage whose planned kernel cannot run in row bands pairs through its close alternative
  /// that can, and the plan takes the alternative exactly when the pair is kept.
  @Test(.enabled(if: ISA.avx2.isSupported, "the fused block runs in row bands on AVX2"))
  func aPairMayTakeACloseAlternative() throws {
    let stages = try MobileNetV1.model(width: 0.25, resolution: 64).stages(.separable)
    let plan = { (sepBlock: String) in
      try NetworkPlanner.plan(
        .separable, stages: stages, threads: 1,
        timings: NetworkFixture.timings(
          for: stages,
          families: [.convBlock: ["bn-folded"], .sepBlock: [sepBlock], .pw: ["packed-gemm"]]),
        layouts: [.nhwc])
    }
    let (folded, fused) = (try plan("bn-folded"), try plan("fused"))
    // b01 BN-folded with a fused alternative, b02 fused, the rest BN-folded.
    let planned = folded.replacing(["b02": fused.choices["b02"]!])
    let weights = stages.map { StageWeights(for: $0, seed: 5) }
    let input = Tensor.random(
      shape: TensorShape(n: 1, c: 3, h: 64, w: 64), layout: .nchw, seed: 5)
    let refinement = DepthFirstRefinement(
      planned, stages: stages, weights: weights, input: input,
      alternatives: ["b01": fused.choices["b01"]!, "b03": fused.choices["b03"]!],
      timer: NetworkTimer(warmUpNanoseconds: 0, repetitions: 3))
    // b03 could pair through its alternative, but b04 cannot run in row bands.
    #expect(refinement.decisions.map(\.stage) == ["b01+b02"])
    let kept = refinement.decisions[0].kept == "depth-first"
    #expect(refinement.plan.depthFirst == (kept ? ["b01"] : []))
    #expect(Set(refinement.replaced.keys) == (kept ? ["b01"] : []))
    #expect(
      refinement.plan.choices["b01"]?.variant.id
        == (kept ? fused : folded).choices["b01"]?.variant.id)
    #expect(refinement.plan.choices["b03"]?.variant.id == folded.choices["b03"]?.variant.id)
    let network = CompiledNetwork(
      plan: refinement.plan, stages: stages, weights: weights, input: input)
    let reference = NetworkReference.forward(stages, weights: weights, input: input.values)
    let check = NetworkValidation(network, reference: reference)
    #expect(check.passed, "\(check.failureText ?? "")")
  }
}
