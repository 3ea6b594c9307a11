// swift-tools-version: 6.0
//
// Ionics — a finite-volume Poisson–Nernst–Planck simulator for electrochemical
// iontronic synapses. The targets follow the layers of the code:
//
//   C bridges        CHDF5, CLAPACKE, CSuiteSparse (system libraries, shim headers only)
//   foundations      IonicsUnits                (quantities, units, physical constants)
//                    IonicsLinearAlgebra        (sparse Jacobians; band LU in Swift or LAPACKE, sparse LU over KLU)
//                    IonicsHDF5                 (safe HDF5 files, groups, datasets, attributes)
//                    IonicsConfig               (JSON with key paths, unit-aware readers)
//   physics          IonicsPhysics              (what is solved: species, layers, boundary laws, Bernoulli)
//   discretisation   IonicsDiscretisation       (how it becomes equations: mesh, scales, FV assembly)
//   solvers          IonicsSolvers              (Newton, TR-BDF2 time integration)
//   device           IonicsDevice               (materials → stacks, terminals, protocols, readout, metrics, runs)
//   output           IonicsOutput               (HDF5 run files)
//   exports          IonicsExport               (LTP/LTD branches of a run file → aihwkit, CrossSim, NeuroSim)
//   presets          IonicsPresets              (the device library: Table 1 runs, plasticity behaviours)
//   batch            IonicsBatch                (parameter sweeps: spec, points, hashes, shards, manifests, collected tables)
//   verification     IonicsVerification         (analytic and manufactured cases, shared by tests and CLI)
//   fitting          IonicsFit                  (parameter fits to measured data: LM, statistics, fit files)
//   executable       IonicsCLI  → `ionics`
//
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Ionics",
    products: [
        .executable(name: "ionics", targets: ["IonicsCLI"]),
        .executable(name: "ionics-bench", targets: ["IonicsBench"]),
        .library(
            name: "Ionics",
            targets: [
                "IonicsUnits", "IonicsLinearAlgebra", "IonicsHDF5", "IonicsConfig", "IonicsPhysics",
                "IonicsSolvers", "IonicsDiscretisation", "IonicsVerification", "IonicsDevice", "IonicsOutput",
                "IonicsPresets", "IonicsExport", "IonicsBatch", "IonicsFit",
            ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // MARK: C bridges (Debian: libhdf5-dev, liblapacke-dev + libopenblas-dev, libsuitesparse-dev)
        .systemLibrary(
            name: "CHDF5", pkgConfig: "hdf5-serial",
            providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(
            name: "CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),
        // SuiteSparse ships no pkg-config file: the module map names the libraries.
        .systemLibrary(name: "CSuiteSparse", providers: [.apt(["libsuitesparse-dev"])]),

        // MARK: Foundations
        .target(name: "IonicsUnits", swiftSettings: strict),
        .target(name: "IonicsLinearAlgebra", dependencies: ["CLAPACKE", "CSuiteSparse"], swiftSettings: strict),
        .target(name: "IonicsHDF5", dependencies: ["CHDF5"], swiftSettings: strict),
        .target(name: "IonicsConfig", dependencies: ["IonicsUnits"], swiftSettings: strict),

        // MARK: Physics, discretisation, solvers
        .target(name: "IonicsPhysics", dependencies: ["IonicsUnits"], swiftSettings: strict),
        .target(name: "IonicsSolvers", dependencies: ["IonicsLinearAlgebra"], swiftSettings: strict),
        .target(
            name: "IonicsDiscretisation",
            dependencies: ["IonicsPhysics", "IonicsSolvers", "IonicsLinearAlgebra", "IonicsUnits"],
            swiftSettings: strict),
        .target(
            name: "IonicsDevice",
            dependencies: ["IonicsConfig", "IonicsPhysics", "IonicsDiscretisation", "IonicsSolvers", "IonicsUnits", "IonicsLinearAlgebra"],
            swiftSettings: strict),
        .target(
            name: "IonicsOutput",
            dependencies: ["IonicsDevice", "IonicsHDF5", "IonicsConfig", "IonicsDiscretisation", "IonicsPhysics"],
            swiftSettings: strict),
        .target(name: "IonicsExport", dependencies: ["IonicsHDF5", "IonicsDevice"], swiftSettings: strict),
        .target(
            name: "IonicsPresets", dependencies: ["IonicsDevice", "IonicsOutput", "IonicsConfig"], swiftSettings: strict),
        .target(name: "IonicsBatch", dependencies: ["IonicsConfig", "IonicsUnits", "IonicsHDF5"], swiftSettings: strict),
        .target(
            name: "IonicsFit",
            dependencies: ["IonicsDevice", "IonicsConfig", "IonicsUnits", "IonicsLinearAlgebra", "IonicsHDF5"],
            swiftSettings: strict),
        .target(
            name: "IonicsVerification",
            dependencies: [
                "IonicsPhysics", "IonicsDiscretisation", "IonicsSolvers", "IonicsUnits", "IonicsHDF5", "IonicsLinearAlgebra",
                // The example cells are loaded and run as `ionics run` does.
                "IonicsConfig", "IonicsDevice",
            ],
            swiftSettings: strict),

        // MARK: Command line
        .executableTarget(
            name: "IonicsCLI",
            dependencies: [
                "IonicsUnits", "IonicsConfig", "IonicsHDF5", "IonicsLinearAlgebra", "IonicsVerification", "IonicsDevice",
                "IonicsOutput", "IonicsPresets", "IonicsExport", "IonicsBatch", "IonicsFit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // MARK: Benchmarks (outside the test build; `make bench`)
        .executableTarget(
            name: "IonicsBench", dependencies: ["IonicsDiscretisation", "IonicsSolvers", "IonicsVerification", "IonicsLinearAlgebra", "IonicsPhysics"],
            path: "Benchmarks/IonicsBench", swiftSettings: strict),

        // MARK: Tests
        .target(name: "IonicsTestSupport", path: "Tests/IonicsTestSupport", swiftSettings: strict),
        .testTarget(name: "IonicsUnitsTests", dependencies: ["IonicsUnits", "IonicsTestSupport"]),
        .testTarget(
            name: "IonicsLinearAlgebraTests",
            dependencies: ["IonicsLinearAlgebra", "IonicsTestSupport"]),
        .testTarget(name: "IonicsHDF5Tests", dependencies: ["IonicsHDF5", "IonicsTestSupport"]),
        .testTarget(
            name: "IonicsConfigTests",
            dependencies: ["IonicsConfig", "IonicsUnits", "IonicsTestSupport"]),
        .testTarget(name: "IonicsSolversTests", dependencies: ["IonicsSolvers", "IonicsLinearAlgebra"]),
        .testTarget(
            name: "IonicsDiscretisationTests",
            dependencies: ["IonicsDiscretisation", "IonicsPhysics", "IonicsSolvers", "IonicsVerification", "IonicsTestSupport"]),
        .testTarget(
            name: "IonicsDeviceTests",
            dependencies: ["IonicsDevice", "IonicsConfig", "IonicsDiscretisation", "IonicsPhysics", "IonicsSolvers", "IonicsTestSupport"]),
        .testTarget(
            name: "IonicsVerificationTests", dependencies: ["IonicsVerification", "IonicsDevice", "IonicsConfig", "IonicsTestSupport"]),
        // Runs the built `ionics` tool end to end; depending on it makes SwiftPM build it first.
        .testTarget(name: "IonicsCLITests", dependencies: ["IonicsCLI", "IonicsTestSupport", "IonicsBatch", "IonicsHDF5"]),
        .testTarget(name: "IonicsBatchTests", dependencies: ["IonicsBatch", "IonicsConfig", "IonicsHDF5", "IonicsTestSupport"]),
        .testTarget(name: "IonicsExportTests", dependencies: ["IonicsExport", "IonicsHDF5", "IonicsCLI", "IonicsTestSupport"]),
        .testTarget(name: "IonicsFitTests", dependencies: ["IonicsFit", "IonicsLinearAlgebra", "IonicsConfig", "IonicsHDF5", "IonicsCLI", "IonicsTestSupport"]),
        // The device library: presets, Table 1 by simulation, the Fig. 2 behaviours.
        .testTarget(
            name: "IonicsPresetsTests",
            dependencies: ["IonicsPresets", "IonicsDevice", "IonicsConfig", "IonicsCLI", "IonicsTestSupport", "IonicsUnits"]),
    ]
)
