// swift-tools-version: 6.1
import PackageDescription

/// AVX2 + FMA code generation, for the `ConvKernelsAVX2` target only. Without it,
/// `addProduct` on `SIMD8<Float>` lowers to scalar `fmaf` calls. Nothing else is compiled with
/// ISA flags, and the catalog runs a family of that target only after `CPUFeatures` (CPUID and
/// XGETBV) says this CPU and its OS support AVX2 and FMA.
#if arch(x86_64)
  let avx2CodeGeneration: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"])
  ]
#else
  let avx2CodeGeneration: [SwiftSetting] = []
#endif

/// AVX-512 (F, VL, BW, DQ) code generation, for the `ConvKernelsAVX512` target only; the
/// catalog runs its families only where `CPUFeatures` says the CPU and OS support all four
/// (and AVX2 + FMA).
#if arch(x86_64)
  let avx512CodeGeneration: [SwiftSetting] = [
    .unsafeFlags([
      "-Xcc", "-mavx2", "-Xcc", "-mfma", "-Xcc", "-mavx512f", "-Xcc", "-mavx512vl",
      "-Xcc", "-mavx512bw", "-Xcc", "-mavx512dq",
    ])
  ]
#else
  let avx512CodeGeneration: [SwiftSetting] = []
#endif

/// Every function of the code that is timed starts on a 64-byte boundary, so its loops sit
/// the same way against the CPU's 32- and 64-byte fetch and decoded-op windows whatever code
/// comes before it. Without it, a change anywhere in the binary (176 bytes more in `main`)
/// shifted every kernel and moved unrelated kernels by 7 to 20 % in a paired A/B.
let stableCodePlacement: [SwiftSetting] = [
  .unsafeFlags(["-Xllvm", "-align-all-functions=6"])
]

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
    // DWARF 4: valgrind (3.19, Debian 12) cannot read clang's default DWARF 5 and gives up,
    // which would end `--metric instructions`.
    .target(name: "CPUID", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
    .target(
      name: "ConvKernels", dependencies: ["CPUID"], exclude: ["README.md"],
      swiftSettings: stableCodePlacement),
    .target(
      name: "ConvKernelsAVX2", dependencies: ["ConvKernels"],
      swiftSettings: avx2CodeGeneration + stableCodePlacement),
    // The drivers this target shares with ConvKernelsAVX2 are symbolic links to that target's
    // files, so each is compiled here with this target's flags against its own `GEMM`.
    .target(
      name: "ConvKernelsAVX512", dependencies: ["ConvKernels"],
      swiftSettings: avx512CodeGeneration + stableCodePlacement),
    .target(
      name: "KernelCatalog", dependencies: ["ConvKernels", "ConvKernelsAVX2", "ConvKernelsAVX512"],
      swiftSettings: stableCodePlacement),
    .systemLibrary(
      name: "CPAPI",
      pkgConfig: "papi",
      providers: [.apt(["libpapi-dev"])]),
    .target(
      name: "Counters",
      dependencies: [
        .target(name: "CPAPI", condition: .when(platforms: [.linux], traits: ["PAPI"]))
      ]),
    .target(
      name: "Harness", dependencies: ["ConvKernels", "KernelCatalog", "Counters"],
      swiftSettings: stableCodePlacement),
    .target(name: "Reports", dependencies: ["Harness", "ConvKernels", "Counters"]),
    .executableTarget(
      name: "sepbench",
      dependencies: [
        "ConvKernels", "KernelCatalog", "Counters", "Harness", "Reports",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(
      name: "TestSupport", dependencies: ["ConvKernels", "KernelCatalog"], path: "Tests/TestSupport"
    ),
    .testTarget(
      name: "ConvKernelsTests",
      dependencies: ["CPUID", "ConvKernels", "ConvKernelsAVX2", "KernelCatalog", "TestSupport"]),
    .testTarget(
      name: "ConvKernelsAVX512Tests",
      dependencies: ["ConvKernels", "ConvKernelsAVX2", "ConvKernelsAVX512", "TestSupport"]),
    .testTarget(name: "CountersTests", dependencies: ["Counters", "ConvKernels"]),
    .testTarget(
      name: "HarnessTests",
      dependencies: ["Harness", "ConvKernels", "KernelCatalog", "Counters", "TestSupport"]),
    .testTarget(
      name: "ReportsTests", dependencies: ["Reports", "Harness", "ConvKernels", "TestSupport"]),
    .testTarget(
      name: "SepbenchTests",
      dependencies: ["sepbench", "TestSupport", "Reports", "Harness", "ConvKernels"]),
  ]
)
