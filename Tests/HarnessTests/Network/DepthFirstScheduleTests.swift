import ConvKernels
import Harness
import Synchronization
import Testing

/// Every depth-first schedule, in one lane or several and in every order the lanes can take,
/// checked against a model of the two buffers: no row is read before it is written, and no
/// input row is read after the second stage wrote over it.
@Suite struct DepthFirstScheduleTests {
  /// What the pair's buffers hold, row by row, and every rule a call broke.
  final class Buffers: Sendable {
    struct State {
      /// First-stage input rows the second stage has written over.
      var inputOverwritten: [Bool]
      /// First-stage output rows written, and second-stage output rows written (times).
      var middleWritten: [Bool]
      var outputWrites: [Int]
      var broken: [String] = []
    }
    let state: Mutex<State>
    init(inputRows: Int, middleRows: Int, outputRows: Int) {
      state = Mutex(
        State(
          inputOverwritten: Array(repeating: false, count: inputRows),
          middleWritten: Array(repeating: false, count: middleRows),
          outputWrites: Array(repeating: 0, count: outputRows)))
    }
  }

  /// A kernel that computes nothing and checks each row it is asked for against `Buffers`.
  final class ModelKernel: RowBandKernel {
    let problem: ConvProblem
    let isFirst: Bool
    let buffers: Buffers
    /// Floats in one first-stage input row and one second-stage output row, when the second
    /// writes over the first's input.
    let overwrite: (inputRowFloats: Int, outputRowFloats: Int)?
    let threads: Int
    var lanes: Int { 4 * threads }
    var outputHeight: Int { problem.outHeight }

    init(
      _ problem: ConvProblem, isFirst: Bool, buffers: Buffers, threads: Int,
      overwrite: (inputRowFloats: Int, outputRowFloats: Int)?
    ) {
      self.problem = problem
      self.isFirst = isFirst
      self.buffers = buffers
      self.threads = threads
      self.overwrite = overwrite
    }

    func inputRows(for rows: Range<Int>) -> Range<Int> {
      problem.inputRows(forOutputRows: rows)
    }
    func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
      run(rows: 0..<outputHeight, src, dst)
    }
    func run(rows: Range<Int>, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
      run(rows: rows, src, dst, lane: 0)
    }
    func run(
      rows: Range<Int>, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
      lane: Int
    ) {
      buffers.state.withLock { state in
        for row in rows {
          for read in inputRows(for: row..<(row + 1)) {
            if isFirst && state.inputOverwritten[read] {
              state.broken.append(
                "first row \(row) read input row \(read) after it was overwritten")
            }
            if !isFirst && !state.middleWritten[read] {
              state.broken.append("second row \(row) read middle row \(read) before it was written")
            }
          }
          if isFirst {
            state.middleWritten[row] = true
            continue
          }
          state.outputWrites[row] += 1
          if let overwrite {
            let floats = (row * overwrite.outputRowFloats)..<((row + 1) * overwrite.outputRowFloats)
            let first = floats.lowerBound / overwrite.inputRowFloats
            let last = (floats.upperBound - 1) / overwrite.inputRowFloats
            for input in first...last where input < state.inputOverwritten.count {
              state.inputOverwritten[input] = true
            }
          }
        }
      }
    }
  }

  /// A pair: first stage 4 channels, 3x3 stride 1 on `height` rows 4 pixels wide (an input row
  /// is 16 floats); second stage 3x3 at `stride` and `pad` to `outChannels`, writing over the
  /// first's input. `lanes`: whether it runs in lanes on several threads.
  struct Pair: Sendable, CustomTestStringConvertible {
    let height: Int
    let stride: Int
    let pad: Int
    let outChannels: Int
    let lanes: Bool
    var testDescription: String { "h\(height) s\(stride) p\(pad) o\(outChannels)" }
  }

  /// Output rows lying over 1/8 to 6 input rows; odd heights; stride 1 and 2; padding 0 and 1.
  /// Lanes are possible where an output row lies over as many input rows as the stride (the
  /// lower lane's rows then overwrite its own input and no more); where it lies over fewer,
  /// the upper lane's rows overwrite input the lower lane still reads, and where over more,
  /// the other way round.
  static let pairs = [
    // Over 2 rows at stride 2 (b01+b02), and over 1 at stride 1 (b07+b08).
    Pair(height: 40, stride: 2, pad: 1, outChannels: 16, lanes: true),
    Pair(height: 41, stride: 2, pad: 0, outChannels: 32, lanes: true),
    Pair(height: 40, stride: 1, pad: 1, outChannels: 4, lanes: true),
    // Over 1/2, 1/8, 1/4 of a row; over 2 at stride 1; over 6 at stride 2.
    Pair(height: 37, stride: 2, pad: 0, outChannels: 8, lanes: false),
    Pair(height: 33, stride: 1, pad: 0, outChannels: 1, lanes: false),
    Pair(height: 29, stride: 2, pad: 1, outChannels: 2, lanes: false),
    Pair(height: 45, stride: 1, pad: 1, outChannels: 8, lanes: false),
    Pair(height: 48, stride: 2, pad: 1, outChannels: 48, lanes: false),
  ]

  /// Every order of `count` lanes (all of them up to 3 lanes; for 4, a few).
  static func orders(_ count: Int) -> [[Int]] {
    switch count {
    case 2: [[0, 1], [1, 0]]
    case 3: [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
    default: [Array(0..<count), Array((0..<count).reversed()), [1, 3, 0, 2], [2, 0, 3, 1]]
    }
  }

  @Test(arguments: pairs)
  func everyScheduleKeepsToTheBuffers(_ pair: Pair) throws {
    let first = try ConvProblem(descriptor: "n1c4h\(pair.height)w4o4k3s1p1")
    let second = try ConvProblem(
      descriptor: "n1c4h\(pair.height)w4o\(pair.outChannels)k3s\(pair.stride)p\(pair.pad)")
    let overwrite = (inputRowFloats: 4 * 4, outputRowFloats: second.outWidth * pair.outChannels)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    defer { scratch.deallocate() }
    var laned = 0
    var defaultLaned = false
    for threads in 1...4 {
      for bandRows in 1...3 {
        for order in threads == 1 ? [[0]] : Self.orders(threads) {
          let buffers = Buffers(
            inputRows: first.height, middleRows: first.outHeight, outputRows: second.outHeight)
          let model = { (problem: ConvProblem, isFirst: Bool) in
            ModelKernel(
              problem, isFirst: isFirst, buffers: buffers, threads: threads,
              overwrite: overwrite)
          }
          let depthFirst = DepthFirstPair(
            first: model(first, true), second: model(second, false), overwrite: overwrite,
            bandRows: bandRows)
          if depthFirst.laneCount > 1 {
            #expect(depthFirst.laneCount == threads)
            depthFirst.runLanesOneAfterAnother(order, scratch, scratch, scratch)
            laned += 1
            defaultLaned = defaultLaned || (threads == 2 && bandRows == 2)
          } else {
            depthFirst.run(scratch, scratch, scratch)
          }
          let state = buffers.state.withLock { $0 }
          let context = "\(threads) threads, bands of \(bandRows), order \(order)"
          #expect(state.broken.isEmpty, "\(context): \(state.broken.prefix(3))")
          #expect(state.middleWritten.allSatisfy { $0 }, "\(context)")
          #expect(state.outputWrites.allSatisfy { $0 == 1 }, "\(context)")
        }
      }
    }
    // Lanes ran (in every order) wherever the pair allows them, at least with the
    // network's 2 threads and bands of 2 rows; elsewhere only band after band.
    #expect((laned >= 2) == pair.lanes)
    #expect(defaultLaned == pair.lanes)
  }
}
