// ionics-bench — performance benchmarks (not tests: timings on shared machines are noisy,
// so they are measured here and quoted as medians, never asserted in the test suite).
//
//   ionics-bench [--cells 400,1600] [--repeat 5]       the charging benchmark below
//   ionics-bench band-lu [--n 2000,5000,20000] [--bandwidths 2,4,8,16,32] [--border 2] [--repeat 5]
//                                                      band LU, LAPACKE against Swift (BandLUBenchmark.swift)
//
// Charging of a blocking cell by a 10-thermal-voltage step (nonlinear regime) to
// t = 5·λ_D·L/D, at several graded meshes: wall time (median of N runs), time steps,
// Newton iterations and the time per Newton iteration per unknown, whose ratio between
// meshes shows whether the work per step grows linearly with the cell count.
import Foundation
import IonicsDiscretisation
import IonicsSolvers
import IonicsVerification

let arguments = CommandLine.arguments.dropFirst()
func option(_ name: String, _ fallback: String) -> String {
    if let i = arguments.firstIndex(of: name), arguments.index(after: i) < arguments.endIndex { return arguments[arguments.index(after: i)] }
    return fallback
}
func integers(_ list: String) -> [Int] { list.split(separator: ",").compactMap { Int($0) } }

if arguments.first == "band-lu" {
    let bench = BandLUBenchmark(
        sizes: integers(option("--n", "2000,5000,20000")), bandwidths: integers(option("--bandwidths", "2,4,8,16,32")),
        border: Int(option("--border", "2")) ?? 2, repeats: Int(option("--repeat", "5")) ?? 5)
    print(BandLUBenchmark.table(try bench.run(), border: bench.border, repeats: bench.repeats))
    exit(0)
}

let meshes = option("--cells", "400,1600").split(separator: ",").compactMap { Int($0) }
let repeats = Int(option("--repeat", "5")) ?? 5

struct Result {
    var cells: Int
    var unknowns: Int
    var median: Double
    var times: [Double]
    var steps: Int
    var rejected: Int
    var newton: Int
}

func run(cells: Int) throws -> (Double, IntegrationStatistics, Int) {
    var cell = BlockingCell()
    cell.halfWidth = 100
    cell.cells = cells
    cell.smallest = 0.05 * 400 / Double(cells)
    let d = try PNPDiscretisation(problem: cell.problem(voltage: 10 * cell.vt), mesh: cell.mesh())
    var options = TimeIntegratorOptions()
    options.relativeTolerance = 1e-4
    options.initialStep = 1e-6 * cell.chargingTime
    let start = Date()
    let integrator = TRBDF2Integrator(system: d, state: d.initialState(), time: 0, options: options)
    try integrator.advance(to: 5 * cell.chargingTime, breakpoints: [Breakpoint(0, discontinuous: true)]) { _ in }
    return (Date().timeIntervalSince(start), integrator.statistics, d.size)
}

var results: [Result] = []
for n in meshes {
    var times: [Double] = []
    var stats = IntegrationStatistics()
    var unknowns = 0
    for _ in 0..<repeats {
        let (t, s, u) = try run(cells: n)
        times.append(t)
        stats = s
        unknowns = u
    }
    let sorted = times.sorted()
    results.append(Result(cells: n, unknowns: unknowns, median: sorted[sorted.count / 2], times: times, steps: stats.steps,
                          rejected: stats.rejectedError + stats.rejectedNewton, newton: stats.newtonIterations))
}

print("Charging of a blocking cell, 10 V_T step, L = 100 λ_D, to t = 5 λ_D L/D (median of \(repeats) runs)")
print("")
print("| cells | unknowns | wall time (s) | steps | rejected | Newton iterations | µs per Newton iteration | ns per iteration per unknown |")
print("|---|---|---|---|---|---|---|---|")
for r in results {
    let perIteration = r.median / Double(r.newton)
    print(String(format: "| %d | %d | %.3f | %d | %d | %d | %.1f | %.1f |", r.cells, r.unknowns, r.median, r.steps, r.rejected, r.newton,
                 perIteration * 1e6, perIteration / Double(r.unknowns) * 1e9))
}
if results.count >= 2 {
    let a = results[0], b = results[results.count - 1]
    let ratio = (b.median / Double(b.newton) / Double(b.unknowns)) / (a.median / Double(a.newton) / Double(a.unknowns))
    print("")
    print(String(format: "time per Newton iteration per unknown, %d vs %d cells: ratio %.2f (1 = work linear in the cell count)",
                 b.cells, a.cells, ratio))
}
