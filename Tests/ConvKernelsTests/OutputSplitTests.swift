import ConvKernels
import Testing

@Suite struct OutputSplitTests {
  /// Every task's (rows, columns) block.
  private func blocks(_ split: OutputSplit) -> [(rows: Range<Int>, columns: Range<Int>)] {
    (0..<split.tasks).map { (split.rowRange($0), split.columnRange($0)) }
  }

  @Test(arguments: [1, 2, 3, 4])
  func tasksCoverTheOutputOnceInWholeQuanta(threads: Int) {
    for (rows, columns) in [(196, 512), (49, 1024), (3136, 128), (1, 16), (25, 40), (12544, 64)] {
      let split = OutputSplit(
        rows: rows, rowQuantum: 6, columns: columns, columnQuantum: 16, threads: threads,
        tasksPerThread: 4)
      var covered = Array(repeating: 0, count: rows * columns)
      for block in blocks(split) {
        #expect(block.rows.lowerBound % 6 == 0 && block.columns.lowerBound % 16 == 0)
        for row in block.rows {
          for column in block.columns { covered[row * columns + column] += 1 }
        }
      }
      #expect(covered.allSatisfy { $0 == 1 }, "\(rows) x \(columns), \(threads) threads")
      let units = split.axis == .rows ? (rows + 5) / 6 : (columns + 15) / 16
      #expect(split.tasks == (threads == 1 ? 1 : min(4 * threads, units)))
    }
  }

  @Test func fourteenByFourteenSplitsPixelsIntoEightTasksOfFourOrFiveQuanta() {
    // 196 rows = 33 quanta of 6: 17 and 16 per thread (load 1.03), so rows; 8 tasks.
    let split = OutputSplit(
      rows: 196, rowQuantum: 6, columns: 512, columnQuantum: 16, threads: 2,
      tasksPerThread: 4)
    #expect(split.axis == .rows && split.tasks == 8)
    #expect(blocks(split).map(\.rows.count) == [30, 24, 24, 24, 24, 24, 24, 22])
    #expect(blocks(split).allSatisfy { $0.columns == 0..<512 })
  }

  @Test func sevenBySevenSplitsChannelsBecausePixelsDivideBadly() {
    // 49 rows = 9 quanta of 6: 5 and 4 per thread (load 1.11 > 1.1); 64 panels divide evenly.
    let split = OutputSplit(
      rows: 49, rowQuantum: 6, columns: 1024, columnQuantum: 16, threads: 2,
      tasksPerThread: 4)
    #expect(split.axis == .columns && split.tasks == 8)
    #expect(blocks(split).map(\.columns) == (0..<8).map { ($0 * 128)..<($0 * 128 + 128) })
    #expect(blocks(split).allSatisfy { $0.rows == 0..<49 })
  }

  @Test func oneTaskPerThreadUnlessAsked() {
    let split = OutputSplit(rows: 196, rowQuantum: 6, columns: 512, columnQuantum: 16, threads: 2)
    #expect(split.tasks == 2 && split.rowRange(0) == 0..<102 && split.rowRange(1) == 102..<196)
  }

  @Test func oneThreadIsOneTaskOverEverything() {
    let split = OutputSplit(
      rows: 196, rowQuantum: 6, columns: 512, columnQuantum: 16, threads: 1,
      tasksPerThread: 4)
    #expect(split.tasks == 1 && split.rowRange(0) == 0..<196 && split.columnRange(0) == 0..<512)
  }
}
