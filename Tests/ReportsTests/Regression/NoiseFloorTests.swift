import Foundation
import Reports
import TestSupport
import Testing

@Suite struct NoiseFloorTests {
  @Test func aNoiseFileRoundTripsUnderAnyName() throws {
    let scratch = RegressionFixture.scratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let key = CaseKey(
      suite: "quick", caseName: "q.c16h14s1", op: "dw", variant: "simd8", layout: "nhwc",
      threads: 2)
    let floor = NoiseFloor(noise: [key: 0.0375], blocks: 20)
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let file = scratch.appendingPathComponent("calib.csv")
    try AtomicFile.write(floor.csv, to: file)
    #expect(try NoiseFloor.read(file: file) == floor)
    #expect(try NoiseFloor.read(folder: scratch.path) == nil, "no noise.csv there")
  }

  @Test func aNoisyCaseIsJudgedAgainstAWiderBandAndSaysSo() throws {
    let base = try MeasuredRun.read(RegressionFixture.path("base"))
    let head = try MeasuredRun.read(RegressionFixture.path("head-no-failure"))
    let plain = try RegressionCheck.compare(base: base, head: head)
    let regressed = try #require(plain.rows.first { $0.verdict == .regression })
    var options = RegressionOptions()
    options.noiseFloor = NoiseFloor(noise: [regressed.key: 0.4], blocks: 8)
    let widened = try RegressionCheck.compare(base: base, head: head, options: options)
    let row = try #require(widened.rows.first { $0.key == regressed.key })
    #expect(abs(row.threshold - 0.6) < 1e-12, "1.5 x 40 %")
    #expect(row.verdict == .unchanged)
    #expect(row.reason.contains("T raised to 60% by the noise floor (A/A ±40%)"), "\(row.reason)")
  }

  @Test func strictMarkdownNamesTheInconclusiveCases() throws {
    let base = try MeasuredRun.read(RegressionFixture.path("base"))
    let head = try MeasuredRun.read(RegressionFixture.path("head-no-failure"))
    var options = RegressionOptions()
    options.threshold = 0.30
    options.strict = true
    let report = try RegressionCheck.compare(base: base, head: head, options: options)
    #expect(report.count(.regression) == 0)
    #expect(report.exitStatus == 1)
    #expect(report.markdown().contains("inconclusive (strict)"))
  }
}
