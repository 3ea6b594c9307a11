// ionics-bench — performance benchmarks (not tests: timings on shared machines are noisy,
// so they are measured here and quoted as medians, never asserted in the test suite).
//
//   ionics-bench [throughput] [--cells 400,1600] [--repeat 5] [--tsv FILE]
//   ionics-bench charging-accuracy [--cells 400,1600] [--volts 1,10] … (see its usage)
//
// scripts/bench.sh builds this for the current tree and for a baseline commit and
// compares the two; Benchmarks/baseline/ holds the copy it builds the baseline with.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "throughput"
let rest = arguments.first == mode ? Array(arguments.dropFirst()) : arguments

switch mode {
case "throughput":
    try ChargingThroughput.main(rest)
case "charging-accuracy":
    try ChargingAccuracy.main(rest)
case "help", "--help", "-h":
    print(ChargingThroughput.usage)
    print("")
    print(ChargingAccuracy.usage)
default:
    fail("unknown mode \(mode) (throughput, charging-accuracy, help)")
}
