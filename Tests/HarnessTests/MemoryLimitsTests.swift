import ConvKernels
import Harness
import Testing

/// The memory budget respects each of its three sources: physical RAM, `RLIMIT_AS` (less
/// what is already mapped) and the cgroup limit.
@Suite struct MemoryLimitsTests {
  static let gib: UInt64 = 1 << 30

  /// `n1c8h4096o8k1p0`, pointwise, naive: 512 MiB of input alone.
  static func pointwisePlan() throws -> RunPlan {
    RunPlan(
      suite: .adHoc([try ConvProblem(descriptor: "n1c8h4096o8k1p0")]), ops: [.pw],
      families: ["naive"])
  }

  @Test func budgetIsHalfOfRAMWithoutOtherLimits() {
    let budget = MemoryLimits(physicalBytes: 16 * Self.gib).budget
    #expect(budget.bytes == 8 << 30)
    #expect(budget.limitedBy == "half of the 16.0 GiB of RAM")
  }

  @Test func addressSpaceLimitLessWhatIsMappedSetsTheBudget() {
    let limits = MemoryLimits(
      physicalBytes: 16 * Self.gib, addressSpaceBytes: 3 * Self.gib,
      addressSpaceInUse: Self.gib, cgroupBytes: 8 * Self.gib)
    #expect(limits.budget.bytes == 1 << 30)
    #expect(
      limits.budget.limitedBy
        == "half of the 2.0 GiB of address space left under RLIMIT_AS, ulimit -v")
  }

  @Test func addressSpaceAlreadyUsedUpLeavesNoBudget() {
    let limits = MemoryLimits(
      physicalBytes: 16 * Self.gib, addressSpaceBytes: Self.gib, addressSpaceInUse: 2 * Self.gib)
    #expect(limits.budget.bytes == 0)
  }

  @Test func cgroupLimitSetsTheBudget() {
    let limits = MemoryLimits(
      physicalBytes: 16 * Self.gib, addressSpaceBytes: 12 * Self.gib, cgroupBytes: 2 * Self.gib)
    #expect(limits.budget.bytes == 1 << 30)
    #expect(limits.budget.limitedBy == "half of the cgroup memory limit of 2.0 GiB")
  }

  @Test(arguments: [
    MemoryLimits(physicalBytes: 2 << 30),
    MemoryLimits(physicalBytes: 64 << 30, addressSpaceBytes: 2 << 30),
    MemoryLimits(physicalBytes: 64 << 30, cgroupBytes: 2 << 30),
  ])
  func eachLimitAloneRefusesAShapeOverIt(limits: MemoryLimits) throws {
    let plan = try Self.pointwisePlan()
    let needed = plan.estimatedBytes(for: plan.suite.cases[0].problem)
    #expect(needed > 1 << 30)
    #expect(
      throws: ProblemError.tooLarge(
        what: "shape n1c8h4096w4096o8k1s1p0", bytes: needed, limit: 1 << 30,
        limitedBy: limits.budget.limitedBy)
    ) {
      try plan.checkMemory(limits: limits)
    }
  }

  @Test func shapeWithinEveryLimitPasses() throws {
    let limits = MemoryLimits(
      physicalBytes: 64 * Self.gib, addressSpaceBytes: 64 * Self.gib, cgroupBytes: 64 * Self.gib)
    #expect(throws: Never.self) { try Self.pointwisePlan().checkMemory(limits: limits) }
  }

  @Test func tooLargeMessageGivesGiBAndTheLimit() {
    let error = ProblemError.tooLarge(
      what: "shape n64c4096h1024w1024o4096k3s1p1", bytes: 1_099_511_627_808,
      limit: Int(12 * Self.gib), limitedBy: "half of the 24.0 GiB of RAM")
    #expect(
      error.description
        == "shape n64c4096h1024w1024o4096k3s1p1 needs about 1024.0 GiB of memory; at most 12.0 GiB is allowed here (half of the 24.0 GiB of RAM)"
    )
  }

  @Test func validationOfAHugeShapeIsRefused() throws {
    let validation = Validation(
      problems: [try ConvProblem(descriptor: "n64c4096h1024w1024o4096k3s1p1")])
    #expect(validation.estimatedBytes(for: validation.problems[0]) > 1 << 40)
    #expect(throws: ProblemError.self) {
      try validation.checkMemory(limits: MemoryLimits(physicalBytes: 1 << 40))
    }
  }

  @Test func currentLimitsIncludeTheRAM() {
    #expect(MemoryLimits.current().physicalBytes > 0)
  }
}

/// Reading the cgroup memory limit from `/proc/self/cgroup` and `/proc/self/mountinfo` texts.
@Suite struct CgroupMemoryLimitTests {
  static let v2Mounts = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
  static let v1Mounts = """
    35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
    36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices

    """

  /// `read` over a dictionary of file contents.
  static func files(_ contents: [String: String]) -> (String) -> String? { { contents[$0] } }

  @Test func v2MemoryMaxOfTheProcessCgroupIsTheLimit() {
    let limit = CgroupMemoryLimit.limit(
      cgroups: "0::/user.slice/job\n", mountInfo: Self.v2Mounts,
      read: Self.files(["/sys/fs/cgroup/user.slice/job/memory.max": "2147483648\n"]))
    #expect(limit == 2 << 30)
  }

  @Test func v2AncestorWithASmallerLimitWins() {
    let limit = CgroupMemoryLimit.limit(
      cgroups: "0::/user.slice/job\n", mountInfo: Self.v2Mounts,
      read: Self.files([
        "/sys/fs/cgroup/user.slice/job/memory.max": "max\n",
        "/sys/fs/cgroup/user.slice/memory.max": "1073741824\n",
      ]))
    #expect(limit == 1 << 30)
  }

  @Test func v2MaxMeansNoLimit() {
    let limit = CgroupMemoryLimit.limit(
      cgroups: "0::/\n", mountInfo: Self.v2Mounts,
      read: Self.files(["/sys/fs/cgroup/memory.max": "max\n"]))
    #expect(limit == nil)
  }

  @Test func v1MemoryLimitInBytesIsTheLimit() {
    let limit = CgroupMemoryLimit.limit(
      cgroups: "5:devices:/\n4:memory:/process_api/abc\n0::/\n", mountInfo: Self.v1Mounts,
      read: Self.files([
        "/sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes": "3221225472\n",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
      ]))
    #expect(limit == 3 << 30)
  }

  @Test func v1HugeValueMeansNoLimit() {
    let limit = CgroupMemoryLimit.limit(
      cgroups: "4:memory:/\n", mountInfo: Self.v1Mounts,
      read: Self.files([
        "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n"
      ]))
    #expect(limit == nil)
  }

  @Test func bindMountedCgroupRootIsStrippedFromThePath() {
    // A container sees its own cgroup mounted at /sys/fs/cgroup with root /docker/abc.
    let mounts = "30 23 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
    let limit = CgroupMemoryLimit.limit(
      cgroups: "0::/docker/abc\n", mountInfo: mounts,
      read: Self.files(["/sys/fs/cgroup/memory.max": "536870912\n"]))
    #expect(limit == 512 << 20)
  }

  @Test func noCgroupFilesMeansNoLimit() {
    #expect(CgroupMemoryLimit.limit(cgroups: "", mountInfo: "", read: { _ in nil }) == nil)
  }
}
