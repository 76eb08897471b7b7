#if canImport(Glibc)
  import Glibc

  /// The CPUs this process may run on, and pinning to one of them (Linux `sched_*affinity`).
  /// `ab` pins both runs of a pair to the same CPU when every case is single-threaded, so
  /// that they see the same CPU's speed as they take turns.
  ///
  /// glibc declares the two calls only under `_GNU_SOURCE`, which the Glibc module does not
  /// set, so they are looked up by name.
  public enum CPUAffinity {
    private typealias AffinityCall = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32

    private static func call(_ name: String) -> AffinityCall? {
      guard let symbol = dlsym(nil, name) else { return nil }
      return unsafeBitCast(symbol, to: AffinityCall.self)
    }

    /// The CPUs the calling thread may run on, ascending; empty when the kernel does not say.
    public static func allowed() -> [Int] {
      guard let getAffinity = call("sched_getaffinity") else { return [] }
      var set = cpu_set_t()
      let size = MemoryLayout<cpu_set_t>.size
      guard withUnsafeMutableBytes(of: &set, { getAffinity(0, size, $0.baseAddress!) }) == 0
      else { return [] }
      return withUnsafeBytes(of: &set) { bytes in
        (0..<bytes.count * 8).filter { bytes[$0 / 8] & (1 << ($0 % 8)) != 0 }
      }
    }

    /// Restricts the calling thread, and the threads it starts later, to `cpu` (`run` calls
    /// it before it starts any: the whole process); false when the kernel refuses (not an
    /// allowed CPU, or out of range).
    @discardableResult
    public static func pin(to cpu: Int) -> Bool {
      let size = MemoryLayout<cpu_set_t>.size
      guard cpu >= 0, cpu < size * 8, let setAffinity = call("sched_setaffinity") else {
        return false
      }
      var set = cpu_set_t()
      return withUnsafeMutableBytes(of: &set) { bytes in
        bytes[cpu / 8] |= 1 << (cpu % 8)
        return setAffinity(0, size, bytes.baseAddress!) == 0
      }
    }
  }
#endif

#if !canImport(Glibc)
  /// Where the kernel offers no affinity calls (macOS): no CPU is named, nothing is pinned.
  public enum CPUAffinity {
    public static func allowed() -> [Int] { [] }
    @discardableResult
    public static func pin(to cpu: Int) -> Bool { false }
  }
#endif
