import ConvKernels
import Foundation
import TestSupport
import Testing

/// The ISA axis from the command line: the `isa` column, `--isa`, `list variants`, and the
/// `SEPBENCH_CPU_FEATURES` seam that makes this machine look like a CPU without AVX2.
@Suite struct ISASelectionTests {
  static func scratch() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "sepbench-isa-\(UUID().uuidString)")
  }

  /// `column` of every data row of a CSV, by header name.
  static func column(_ name: String, of file: URL) throws -> [String] {
    let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
    let index = try #require(header.firstIndex(of: Substring(name)), "\(name) in \(header)")
    return lines.dropFirst().map {
      String($0.split(separator: ",", omittingEmptySubsequences: false)[index])
    }
  }

  static let run = [
    "run", "--shape", "c8h9o8k3s1p1", "--ops", "dw", "--layouts", "nhwc", "--repetitions", "3",
    "--min-time", "100us", "--no-ceilings", "--events", "none", "--no-preflight",
  ]

  @Test func everyRowAndSampleNamesTheISAOfItsFamily() throws {
    let out = Self.scratch()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try SepbenchProcess.run(Self.run + ["--out", out.path])
    #expect(result.exitCode == 0, "\(result.stderr)")
    let results = out.appendingPathComponent("results.csv")
    let byFamily = Dictionary(
      uniqueKeysWithValues: zip(
        try Self.column("variant", of: results), try Self.column("isa", of: results)))
    #expect(
      byFamily == ["naive": "generic", "tiled": "avx2", "simd8": "avx2", "simd16": "avx512"])
    #expect(try Self.column("schema", of: results).allSatisfy { $0 == "5" })
    let samples = out.appendingPathComponent("samples.csv")
    let sampled = Set(
      zip(try Self.column("variant", of: samples), try Self.column("isa", of: samples)).map {
        "\($0)=\($1)"
      })
    let timed: Set = ["naive=generic", "tiled=avx2", "simd8=avx2"]
    #expect(sampled == (ISA.avx512.isSupported ? timed.union(["simd16=avx512"]) : timed))
  }

  @Test func isaSelectsFamiliesByLevel() throws {
    let out = Self.scratch()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try SepbenchProcess.run(Self.run + ["--isa", "generic", "--out", out.path])
    #expect(result.exitCode == 0, "\(result.stderr)")
    #expect(try Self.column("variant", of: out.appendingPathComponent("results.csv")) == ["naive"])
  }

  @Test func anUnknownLevelIsBadInputWithTheAllowedOnes() throws {
    let result = try SepbenchProcess.run(["run", "--shape", "c8h9o8k3s1p1", "--isa", "sse"])
    #expect(result.exitCode == 2)
    #expect(
      result.stderrLines == [
        "error: The value 'sse' is invalid for '--isa <levels>': unknown ISA 'sse'; allowed: generic, avx2, avx512"
      ])
  }

  /// With every feature taken away, the AVX2 families are skipped with the reason and
  /// never run; the generic ones still are.
  @Test func withoutAVX2TheAVX2FamiliesAreSkippedWithTheReason() throws {
    let out = Self.scratch()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try SepbenchProcess.run(
      Self.run + ["--out", out.path], environment: ["SEPBENCH_CPU_FEATURES": "none"])
    #expect(result.exitCode == 0, "\(result.stderr)")
    let results = out.appendingPathComponent("results.csv")
    let status = Dictionary(
      uniqueKeysWithValues: zip(
        try Self.column("variant", of: results), try Self.column("status", of: results)))
    #expect(
      status == ["naive": "ok", "tiled": "skipped", "simd8": "skipped", "simd16": "skipped"])
    let notes = try Self.column("note", of: results)
    #expect(notes.filter { $0 == "needs CPU features avx2+fma that this CPU lacks" }.count == 2)

    let list = try SepbenchProcess.run(
      ["list", "variants"], environment: ["SEPBENCH_CPU_FEATURES": "none"])
    let simd8 = try #require(Self.listed(list.stdout, op: "dw", family: "simd8"))
    #expect(simd8[4...6] == ["avx2", "avx2+fma", "no"])
    #expect(simd8[7].hasSuffix("(not on this CPU)"))
  }

  /// With AVX2 and FMA only, the AVX-512 families are listed as not runnable here, with
  /// everything they need.
  @Test func withoutAVX512TheAVX512FamiliesAreListedAsNotHere() throws {
    let list = try SepbenchProcess.run(
      ["list", "variants"], environment: ["SEPBENCH_CPU_FEATURES": "avx2+fma"])
    #expect(list.exitCode == 0)
    let pw = try #require(Self.listed(list.stdout, op: "pw", family: "packed-gemm-avx512"))
    #expect(pw[4...6] == ["avx512", "avx2+fma+avx512f+avx512vl+avx512bw+avx512dq", "no"])
    let avx2 = try #require(Self.listed(list.stdout, op: "pw", family: "packed-gemm"))
    #expect(avx2[4...6] == ["avx2", "avx2+fma", "yes"])
  }

  /// The cells of `op`'s `family` row of `list variants` (columns are two or more spaces
  /// apart).
  static func listed(_ text: String, op: String, family: String) -> [String]? {
    text.split(separator: "\n").map { line in
      line.split(separator: "  ", omittingEmptySubsequences: true).map {
        $0.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty }
    }.first { $0.count == 8 && $0[0] == op && $0[1] == family }
  }
}
