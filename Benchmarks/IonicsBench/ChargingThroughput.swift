// Charging of a blocking cell by a 10-thermal-voltage step (nonlinear regime) to
// t = 5·λ_D·L/D, at several graded meshes: wall time (median of N runs), time steps,
// Newton iterations and the time per Newton iteration per unknown, whose ratio between
// meshes shows whether the work per step grows linearly with the cell count.
import Foundation
import IonicsDiscretisation
import IonicsSolvers
import IonicsVerification

enum ChargingThroughput {
    static let usage = """
        ionics-bench [throughput] [--cells 400,1600] [--repeat 5] [--tsv FILE]
          10 V_T charging of a blocking cell (L = 100 λ_D) to 5 λ_D L/D at relative tolerance 1e-4:
          wall time, steps, Newton iterations, time per Newton iteration per unknown.
        """

    struct Result {
        var cells: Int
        var unknowns: Int
        var median: Double
        var min: Double
        /// Median CPU time, s.
        var cpu: Double
        var steps: Int
        var rejected: Int
        var newton: Int
    }

    static func run(cells: Int) throws -> (wall: Double, cpu: Double, IntegrationStatistics, Int) {
        var cell = BlockingCell()
        cell.halfWidth = 100
        cell.cells = cells
        cell.smallest = 0.05 * 400 / Double(cells)
        let d = try PNPDiscretisation(problem: cell.problem(voltage: 10 * cell.vt), mesh: cell.mesh())
        var options = TimeIntegratorOptions()
        options.relativeTolerance = 1e-4
        options.initialStep = 1e-6 * cell.chargingTime
        let (integrator, wall, cpu) = try timed {
            let integrator = TRBDF2Integrator(system: d, state: d.initialState(), time: 0, options: options)
            try integrator.advance(to: 5 * cell.chargingTime, breakpoints: [Breakpoint(0, discontinuous: true)]) { _ in }
            return integrator
        }
        return (wall, cpu, integrator.statistics, d.size)
    }

    static func main(_ arguments: [String]) throws {
        let options = Options(arguments, known: ["--cells", "--repeat", "--tsv"], usage: usage)
        let meshes = options.list("--cells", [400, 1600]) { Int($0) }
        let repeats = options.int("--repeat", 5)
        let tsv = TSVWriter(path: options.string("--tsv"))

        var results: [Result] = []
        for n in meshes {
            var times: [Double] = []
            var cpus: [Double] = []
            var stats = IntegrationStatistics()
            var unknowns = 0
            for _ in 0..<repeats {
                let (t, c, s, u) = try run(cells: n)
                times.append(t)
                cpus.append(c)
                stats = s
                unknowns = u
            }
            let (median, least) = summary(times)
            results.append(Result(cells: n, unknowns: unknowns, median: median, min: least, cpu: summary(cpus).median, steps: stats.steps,
                                  rejected: stats.rejectedError + stats.rejectedNewton, newton: stats.newtonIterations))
        }

        print("Charging of a blocking cell, 10 V_T step, L = 100 λ_D, to t = 5 λ_D L/D (median of \(repeats) runs)")
        print("")
        print("| cells | unknowns | wall time (s) | steps | rejected | Newton iterations | µs per Newton iteration | ns per iteration per unknown | CPU time (s) |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r in results {
            let perIteration = r.median / Double(r.newton)
            print(String(format: "| %d | %d | %.3f | %d | %d | %d | %.1f | %.1f | %.3f |", r.cells, r.unknowns, r.median, r.steps, r.rejected,
                         r.newton, perIteration * 1e6, perIteration / Double(r.unknowns) * 1e9, r.cpu))
            tsv.write(["throughput", "\(r.cells)", "\(r.median)", "\(r.min)", "\(r.steps)", "\(r.newton)", "\(r.cpu)"])
        }
        if results.count >= 2 {
            let a = results[0], b = results[results.count - 1]
            let ratio = (b.median / Double(b.newton) / Double(b.unknowns)) / (a.median / Double(a.newton) / Double(a.unknowns))
            print("")
            print(String(format: "time per Newton iteration per unknown, %d vs %d cells: ratio %.2f (1 = work linear in the cell count)",
                         b.cells, a.cells, ratio))
        }
    }
}
