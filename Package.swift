// swift-tools-version: 6.1
import PackageDescription

/// AVX2 + FMA code generation for the kernel target only. Without it, `addProduct` on
/// `SIMD8<Float>` lowers to scalar `fmaf` calls. Applied on x86-64 hosts; every variant that
/// relies on it also checks the CPU at run time (`CPUFeatures`).
#if arch(x86_64)
let kernelCodeGeneration: [SwiftSetting] = [
  .unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"])
]
#else
let kernelCodeGeneration: [SwiftSetting] = []
#endif

let package = Package(
  name: "SepConvBench",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "sepbench", targets: ["sepbench"])
  ],
  traits: [
    .trait(
      name: "PAPI",
      description: "Read hardware counters through PAPI (Debian: libpapi-dev). Linux only."),
    .default(enabledTraits: ["PAPI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    .target(
      name: "ConvKernels",
      exclude: ["README.md"],
      swiftSettings: kernelCodeGeneration),
    .systemLibrary(
      name: "CPAPI",
      pkgConfig: "papi",
      providers: [.apt(["libpapi-dev"])]),
    .target(
      name: "Counters",
      dependencies: [
        .target(name: "CPAPI", condition: .when(platforms: [.linux], traits: ["PAPI"]))
      ]),
    .target(name: "Harness", dependencies: ["ConvKernels", "Counters"]),
    .target(name: "Reports", dependencies: ["Harness", "ConvKernels", "Counters"]),
    .executableTarget(
      name: "sepbench",
      dependencies: [
        "ConvKernels", "Counters", "Harness", "Reports",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(name: "TestSupport", dependencies: ["ConvKernels"], path: "Tests/TestSupport"),
    .testTarget(name: "ConvKernelsTests", dependencies: ["ConvKernels", "TestSupport"]),
    .testTarget(name: "CountersTests", dependencies: ["Counters", "ConvKernels"]),
    .testTarget(name: "HarnessTests", dependencies: ["Harness", "ConvKernels", "Counters", "TestSupport"]),
    .testTarget(name: "ReportsTests", dependencies: ["Reports", "Harness", "ConvKernels", "TestSupport"]),
    .testTarget(name: "SepbenchTests", dependencies: ["sepbench", "TestSupport"]),
  ]
)
