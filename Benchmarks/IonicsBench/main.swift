// ionics-bench — performance benchmarks (not tests: timings on shared machines are noisy,
// so they are measured here and quoted as medians, never asserted in the test suite).
//
//   ionics-bench [throughput] [--cells 400,1600] [--repeat 5] [--tsv FILE]
//   ionics-bench charging-accuracy [--cells 400,1600] [--volts 1,10] … (see its usage)
//   ionics-bench band-lu [--n 2000,5000,20000] [--bandwidths 2,4,8,16,32] [--border 2] [--repeat 5]
//                                                      band LU, LAPACKE against Swift (BandLUBenchmark.swift)
//   ionics-bench 2d-newton [--rows …] [--columns …]    Newton iteration vs unknowns on 2D meshes (NewtonScaling.swift)
//   ionics-bench 2d-assembly [--cells 100000]          2D assembly, scalar vs vectorised, 1 vs 2 threads
//   ionics-bench simd-flux [--cells 100000]            interior-face kernel: reference, scalar, SIMD (AssemblyBenchmarks.swift)
//
// scripts/bench.sh builds this for the current tree and for a baseline commit and
// compares the two; Benchmarks/baseline/ holds the copy it builds the baseline with.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "throughput"
let rest = arguments.first == mode ? Array(arguments.dropFirst()) : arguments

let bandLUUsage = "ionics-bench band-lu [--n 2000,5000,20000] [--bandwidths 2,4,8,16,32] [--border 2] [--repeat 5]"

switch mode {
case "throughput":
    try ChargingThroughput.main(rest)
case "charging-accuracy":
    try ChargingAccuracy.main(rest)
case "band-lu":
    let o = Options(rest, known: ["--n", "--bandwidths", "--border", "--repeat"], usage: bandLUUsage)
    let bench = BandLUBenchmark(
        sizes: o.list("--n", [2000, 5000, 20000]) { Int($0) }, bandwidths: o.list("--bandwidths", [2, 4, 8, 16, 32]) { Int($0) },
        border: o.int("--border", 2), repeats: o.int("--repeat", 5))
    print(BandLUBenchmark.table(try bench.run(), border: bench.border, repeats: bench.repeats))
case "2d-newton":
    try NewtonScaling.main(rest)
case "2d-assembly":
    try AssemblyBenchmarks.assembly(rest)
case "simd-flux":
    try AssemblyBenchmarks.flux(rest)
case "help", "--help", "-h":
    for usage in [ChargingThroughput.usage, ChargingAccuracy.usage, bandLUUsage, NewtonScaling.usage, AssemblyBenchmarks.assemblyUsage,
                  AssemblyBenchmarks.fluxUsage] {
        print(usage)
        print("")
    }
default:
    fail("unknown mode \(mode) (throughput, charging-accuracy, band-lu, 2d-newton, 2d-assembly, simd-flux, help)")
}
