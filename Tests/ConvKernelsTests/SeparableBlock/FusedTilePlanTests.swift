import ConvKernels
import Testing

@Suite struct FusedTilePlanTests {
  /// Every task's tiles in order, as (image, rows).
  private func tiles(_ plan: FusedTilePlan, task: Int) -> [(image: Int, rows: Range<Int>)] {
    var tiles: [(image: Int, rows: Range<Int>)] = []
    plan.forEachTile(of: task) { image, rows in tiles.append((image, rows)) }
    return tiles
  }

  @Test(arguments: [1, 2, 3, 4])
  func tilesCoverEveryOutputRowOnceAndTasksGetEqualRows(threads: Int) throws {
    for (batch, height, channels) in [
      (1, 14, 512), (1, 7, 1024), (2, 13, 24), (3, 1, 17), (1, 112, 32),
    ] {
      for tileBytes in [1, 28 * 1024, 128 * 1024, 1 << 30] {
        let problem = try ConvProblem(
          descriptor: "n\(batch)c\(channels)h\(height)w\(height)o8k3s1p1")
        let plan = FusedTilePlan(problem, threads: threads, tileBytes: tileBytes)
        let label = "n\(batch) h\(height) c\(channels) \(tileBytes) B, \(threads) threads"
        // The buffer holds `tileRows` rows and fits the budget unless one row alone does not.
        #expect(plan.tileFloats == plan.tileRows * height * channels, "\(label)")
        #expect(4 * plan.tileFloats <= tileBytes || plan.tileRows == 1, "\(label)")
        var seen = Array(repeating: 0, count: batch * height)
        var taskRows: [Int] = []
        for task in 0..<plan.tasks {
          let mine = tiles(plan, task: task)
          taskRows.append(mine.reduce(0) { $0 + $1.rows.count })
          for (image, rows) in mine {
            #expect(!rows.isEmpty && rows.count <= plan.tileRows)
            #expect(rows.lowerBound >= 0 && rows.upperBound <= height)
            for row in rows { seen[image * height + row] += 1 }
          }
          // Within one image, a task's tiles follow each other and differ by at most a row.
          for image in Set(mine.map(\.image)) {
            let segment = mine.filter { $0.image == image }.map(\.rows)
            for (a, b) in zip(segment, segment.dropFirst()) {
              #expect(a.upperBound == b.lowerBound, "\(label)")
            }
            let heights = segment.map(\.count)
            #expect(heights.max()! - heights.min()! <= 1, "\(label) task \(task): \(heights)")
          }
        }
        #expect(seen.allSatisfy { $0 == 1 }, "\(label)")
        #expect(taskRows.max()! - taskRows.min()! <= 1, "\(label): \(taskRows)")
        #expect(plan.tasks == (threads == 1 ? 1 : min(4 * threads, batch * height)), "\(label)")
      }
    }
  }

  @Test func twentyEightRowsOnTwoThreadsAreEightTasksOfThreeOrFourRows() throws {
    // 28 x 256 floats per row = 28 KiB, so a 128 KiB tile holds 4 rows.
    let problem = try ConvProblem(descriptor: "c256h28o256")
    let plan = FusedTilePlan(problem, threads: 2, tileBytes: 128 * 1024)
    #expect(plan.tileRows == 4 && plan.tileFloats == 4 * 28 * 256 && plan.tasks == 8)
    #expect(
      (0..<8).map { tiles(plan, task: $0).map(\.rows) }
        == [[0..<4], [4..<8], [8..<12], [12..<16], [16..<19], [19..<22], [22..<25], [25..<28]])
    // 14 rows: 2, 2, 2, 2, 2, 2, 1, 1, so tiles of at most 2 rows.
    let fourteen = FusedTilePlan(
      try ConvProblem(descriptor: "c512h14o512"), threads: 2, tileBytes: 128 * 1024)
    #expect(fourteen.tasks == 8 && fourteen.tileRows == 2)
  }

  @Test func aTaskCutsItsRowsIntoEqualTilesAndNeverAcrossAnImage() throws {
    // Two 9-row images on one thread, at most 4 rows a tile: 3 + 3 + 3 rows per image.
    let problem = try ConvProblem(descriptor: "n2c8h9w9o8k3s1p1")
    let plan = FusedTilePlan(problem, threads: 1, tileBytes: 4 * 4 * 9 * 8)
    let all = tiles(plan, task: 0)
    #expect(all.map(\.image) == [0, 0, 0, 1, 1, 1])
    #expect(all.map(\.rows) == [0..<3, 3..<6, 6..<9, 0..<3, 3..<6, 6..<9])
  }
}
