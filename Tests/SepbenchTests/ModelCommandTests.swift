import Foundation
import TestSupport
import Testing

/// `sepbench model`, run as a subprocess.
@Suite struct ModelCommandTests {
  @Test func tableShowsEveryLayerAndTheTotals() throws {
    let result = try SepbenchProcess.run(["model", "mobilenet-v1"])
    #expect(result.exitCode == 0)
    #expect(result.stderr.isEmpty)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.first == "MobileNetV1, width 1.0, resolution 224x224")
    #expect(lines.contains { $0.hasPrefix("conv1  conv") })
    #expect(lines.contains { $0.hasPrefix("b13    sep_block") })
    let total = try #require(lines.first { $0.hasPrefix("total") })
    #expect(
      total.split(separator: " ") == [
        "total", "568740352", "4209088", "42425504", "4867293184", "29281120", "0.1168",
        "2131689472",
      ])
    #expect(result.stdout.contains("separable: 568.74 M MACs, 4.21 M params"))
    // Stride-1 3x3 layers at a quarter of their MACs (b13's 7x7 as 2 x 2 tiles of 4x4: 64/49
    // of that), stride-2 layers, conv1 and fc direct.
    #expect(
      result.stdout.contains(
        "standard with Winograd F(4x4,3x3) on its stride-1 3x3 layers: 2131.69 M multiplications (3.75x the separable MACs)"
      ))
  }

  @Test func csvHasOneRecordPerLayerAndNoTotals() throws {
    let result = try SepbenchProcess.run(["model", "mobilenet-v1", "--format", "csv"])
    #expect(result.exitCode == 0)
    #expect(result.stderr.isEmpty)
    #expect(result.stdout.hasSuffix("\n") && !result.stdout.contains("\r"))
    let records = result.stdout.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
    }
    #expect(records.count == 1 + 16)  // header, conv1, b01...b13, pool, fc
    let header = try #require(records.first)
    #expect(header.prefix(4) == ["layer", "op", "c_in", "c_out"])
    #expect(records.allSatisfy { $0.count == header.count })
    #expect(records.dropFirst().map { $0[0] }.last == "fc")
    #expect(!records.contains { $0[0] == "total" })
    let macs = try #require(header.firstIndex(of: "macs"))
    #expect(records.dropFirst().compactMap { Int($0[macs]) }.reduce(0, +) == 568_740_352)
  }

  @Test func widthAndResolutionChangeTheModel() throws {
    let result = try SepbenchProcess.run([
      "model", "mobilenet-v1", "--width", "0.5", "--resolution", "160", "--format", "csv",
    ])
    #expect(result.exitCode == 0)
    let rows = result.stdout.split(separator: "\n")
    #expect(rows[1].hasPrefix("conv1,conv,3,16,160,160,80,80,2,3,3,"))
    #expect(rows.last?.hasPrefix("fc,fc,512,1000,") == true)
  }

  @Test func helpDescribesTheOptions() throws {
    let result = try SepbenchProcess.run(["model", "--help"])
    #expect(result.exitCode == 0)
    for word in [
      "mobilenet-v1", "--width", "--resolution", "--format", "table", "csv", "padded taps",
    ] {
      #expect(result.stdout.contains(word), "\(word)")
    }
  }

  @Test(arguments: [
    (["model", "mobilenet-v1", "--width", "0"], "width = 0.0"),
    (["model", "mobilenet-v1", "--width", "-1"], "width = -1.0"),
    (["model", "mobilenet-v1", "--width=-0.5"], "width = -0.5"),
    (["model", "mobilenet-v1", "--width", "abc"], "'abc'"),
    (["model", "mobilenet-v1", "--width", "17"], "width = 17.0"),
    (["model", "mobilenet-v1", "--resolution", "0"], "resolution = 0"),
    (["model", "mobilenet-v1", "--resolution", "-224"], "resolution = -224"),
    (["model", "mobilenet-v1", "--resolution", "1.5"], "'1.5'"),
    (["model", "mobilenet-v1", "--format", "xml"], "'xml'"),
    (["model", "resnet-50"], "'resnet-50'"),
    (["model"], "<name>"),
  ])
  func badInputPrintsOneLineAndExitsTwo(arguments: [String], quoted: String) throws {
    let result = try SepbenchProcess.run(arguments)
    #expect(result.exitCode == 2, "\(arguments)")
    #expect(result.stdout.isEmpty, "\(arguments)")
    #expect(result.stderrLines.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains(quoted), "\(result.stderr)")
  }

  @Test func badInputSaysWhatIsAllowed() throws {
    let width = try SepbenchProcess.run(["model", "mobilenet-v1", "--width", "0"])
    #expect(width.stderr.contains("greater than 0 and at most 16"))
    let name = try SepbenchProcess.run(["model", "resnet-50"])
    #expect(name.stderr == "error: unknown network 'resnet-50'; known networks: mobilenet-v1\n")
    let format = try SepbenchProcess.run(["model", "mobilenet-v1", "--format", "xml"])
    #expect(format.stderr.contains("'table'") && format.stderr.contains("'csv'"))
  }

  @Test func runsInAnyWorkingDirectory() throws {
    let folder = FileManager.default.temporaryDirectory
    let result = try SepbenchProcess.run(["model", "mobilenet-v1", "--format", "csv"], in: folder)
    #expect(result.exitCode == 0)
  }
}
