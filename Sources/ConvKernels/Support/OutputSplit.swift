/// How a threaded kernel divides a `rows x columns` output among tasks: along one axis only,
/// in whole quanta (the kernel's choice: tile rows, panel widths), and never along the
/// reduction, so every output element is computed the same way whatever the thread count
/// (bitwise identical results).
///
/// The preferred axis is used unless it leaves some threads idle or over 10 % more work on the
/// busiest one than the other axis would: with few pixels (7x7, 14x14) the channels are split
/// instead, so both cores stay busy.
///
/// With several threads a kernel may ask for up to `tasksPerThread` tasks per thread, which the
/// pool hands out as threads come free. On a 2-vCPU guest, whose second vCPU the host often
/// runs late or slowly, 4 x threads tasks beat a static split where a task costs nothing
/// beyond its outputs (the NHWC pointwise GEMM, the AVX-512 direct convolution, the AVX2
/// planar stems, whose gathered rows are per block or per group of pixels). Where a task pays
/// a fixed cost (the Winograd and im2col convolutions transform or gather whole inputs per
/// task) more tasks cost more: `sepbench ab` on the MobileNetV1 shapes on 2 threads measured
/// those 10-80 % slower with four tasks per thread.
package struct OutputSplit: Sendable {
  package enum Axis: Sendable { case rows, columns }

  package let axis: Axis
  package let rows: Int
  package let columns: Int
  package let rowQuantum: Int
  package let columnQuantum: Int
  /// Tasks per thread where a kernel wants the pool to balance uneven threads (see above):
  /// the pointwise GEMM, the direct convolution, the planar stem, the fused separable block and
  /// the depthwise split.
  package static let balancingTasksPerThread = 4

  /// `balancingTasksPerThread` tasks per thread on several threads, one task on one thread:
  /// the task count of a split that balances by handing tasks out as threads come free.
  package static func balancingTaskCount(threads: Int) -> Int {
    threads > 1 ? balancingTasksPerThread * threads : 1
  }

  /// Number of tasks (1...threads * tasksPerThread).
  package let tasks: Int

  package init(
    rows: Int, rowQuantum: Int, columns: Int, columnQuantum: Int, threads: Int,
    prefer: Axis = .rows, tasksPerThread: Int = 1
  ) {
    self.rows = rows
    self.columns = columns
    self.rowQuantum = rowQuantum
    self.columnQuantum = columnQuantum
    let rowUnits = (rows + rowQuantum - 1) / rowQuantum
    let columnUnits = (columns + columnQuantum - 1) / columnQuantum
    let t = max(1, threads)
    // Work on the busiest task relative to a perfect split (1.0 = perfect).
    func load(_ units: Int) -> Double {
      guard units > 0 else { return .infinity }
      let used = min(t, units)
      return Double((units + used - 1) / used) * Double(t) / Double(units)
    }
    let preferred = prefer == .rows ? load(rowUnits) : load(columnUnits)
    let other = prefer == .rows ? load(columnUnits) : load(rowUnits)
    axis = (preferred > 1.1 && other < preferred) ? (prefer == .rows ? .columns : .rows) : prefer
    let perThread = t > 1 ? max(1, tasksPerThread) : 1
    tasks = max(1, min(t * perThread, axis == .rows ? rowUnits : columnUnits))
  }

  /// Output rows of `task`.
  package func rowRange(_ task: Int) -> Range<Int> {
    axis == .rows ? Self.range(task, of: tasks, total: rows, quantum: rowQuantum) : 0..<rows
  }

  /// Output columns of `task`; the lower bound is a multiple of `columnQuantum`.
  package func columnRange(_ task: Int) -> Range<Int> {
    axis == .columns
      ? Self.range(task, of: tasks, total: columns, quantum: columnQuantum) : 0..<columns
  }

  private static func range(_ task: Int, of parts: Int, total: Int, quantum: Int) -> Range<Int> {
    let units = RowPartition(total: (total + quantum - 1) / quantum, parts: parts).range(task)
    return min(total, units.lowerBound * quantum)..<min(total, units.upperBound * quantum)
  }
}
