import ConvKernels
import Testing

@Suite struct RowPartitionTests {
  @Test(arguments: 1...9)
  func partsCoverTheRangeExactlyWithSizesDifferingByAtMostOne(parts: Int) {
    for total in 0...50 {
      let partition = RowPartition(total: total, parts: parts)
      let ranges = (0..<partition.parts).map(partition.range)
      #expect(ranges.first?.lowerBound == 0)
      #expect(ranges.last?.upperBound == total)
      for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
      let sizes = ranges.map(\.count)
      #expect(sizes.reduce(0, +) == total)
      #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1, "total \(total), parts \(parts)")
    }
  }

  @Test func morePartsThanRowsGiveOneRowEach() {
    #expect(RowPartition(total: 3, parts: 8).parts == 3)
    #expect(RowPartition(total: 0, parts: 8).parts == 1)
    #expect(RowPartition(total: 0, parts: 8).range(0) == 0..<0)
    #expect(RowPartition(total: 5, parts: 0).parts == 1)
  }

  @Test func largerPartsComeFirst() {
    let partition = RowPartition(total: 10, parts: 4)
    #expect((0..<4).map(partition.range) == [0..<3, 3..<6, 6..<8, 8..<10])
  }
}
