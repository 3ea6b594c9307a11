// `ionics-bench 2d-newton`: the cost of one Newton iteration on 2D meshes, from about
// 1e4 to 1e6 unknowns — the assembly of f and its Jacobian (the automatic options: the
// vectorised kernel, `--threads` threads), the sparse factorisation (UMFPACK by default, or KLU) (it pivots afresh every
// time, as Newton's does) and one solve — with the least-squares exponent of the time
// against the number of unknowns and the peak memory of the process.
import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra

enum NewtonScaling {
    static let usage = """
        ionics-bench 2d-newton [--rows 25,40,63,100,160,250] [--columns LIST] [--repeat 3] [--threads 1] [--solver umfpack|klu] [--ordering amd] [--tsv FILE]
          one Newton iteration (assembly with the Jacobian, KLU factor, solve) on the 2D electrolyte | host stack,
          --rows cells through each layer, --columns along the channel (default 4 × rows; one --rows value with several
          --columns grows the mesh laterally only); median wall time of the repeats, exponent of time vs unknowns,
          peak memory (getrusage)
        """

    struct Row {
        var rows: Int
        var columns: Int
        var cells: Int
        var unknowns: Int
        var nonzeros: Int
        var setup: Double
        var analysis: Double
        var assembly: Double
        var factor: Double
        var solve: Double
        var iteration: Double
        var peak: Double
    }

    static func main(_ arguments: [String]) throws {
        let o = Options(arguments, known: ["--rows", "--columns", "--repeat", "--threads", "--solver", "--ordering", "--tsv"], usage: usage)
        var rows = o.list("--rows", [25, 40, 63, 100, 160, 250]) { Int($0) }
        let columns = o.list("--columns", rows.map { 4 * $0 }) { Int($0) }
        if rows.count == 1 { rows = [Int](repeating: rows[0], count: columns.count) }
        guard rows.count == columns.count else { fail("--rows and --columns need as many values (or one --rows)", usage: usage) }
        let repeats = o.int("--repeat", 3)
        let threads = o.int("--threads", 1)
        guard let ordering = KLUSolver.Ordering(rawValue: o.string("--ordering") ?? "amd") else { fail("--ordering: amd or nestedDissection", usage: usage) }
        // The sparse solver Ionics picks for 2D (LinearSolverKind.automatic) unless told.
        let solverName = o.string("--solver") ?? "umfpack"
        guard ["umfpack", "klu"].contains(solverName) else { fail("--solver: umfpack or klu", usage: usage) }
        let tsv = TSVWriter(path: o.string("--tsv"))
        AssemblyOptions.defaultThreads = threads

        var results: [Row] = []
        for (r, c) in zip(rows, columns) {
            let stack = TwoDimensionalStack(rows: r, columns: c)
            var built: PNPDiscretisation?
            let setup = try wallTime { built = try stack.discretisation() }
            let d = built!
            let system = TwoDimensionalStack.driven(d)
            let u = TwoDimensionalStack.state(d)
            var f = [Double](repeating: 0, count: d.size)
            var jacobian: SparseMatrix? = SparseMatrix(pattern: d.sparsity)
            var made: (any LinearSolver)?
            let analysis = try wallTime {
                made = solverName == "klu" ? try KLUSolver(pattern: d.sparsity, ordering: ordering) : try UMFPACKSolver(pattern: d.sparsity)
            }
            let solver = made!
            var assembly: [Double] = [], factor: [Double] = [], solve: [Double] = [], total: [Double] = []
            for _ in 0..<repeats {
                let a = try wallTime { try system.evaluate(u, time: 0.1, f: &f, jacobian: &jacobian) }
                let m = jacobian!
                let b = try wallTime { try solver.factor(m) }
                var x = f
                let s = wallTime { solver.solve(&x) }
                assembly.append(a); factor.append(b); solve.append(s); total.append(a + b + s)
            }
            let row = Row(rows: r, columns: c, cells: d.mesh.cellCount, unknowns: d.size, nonzeros: d.sparsity.nonzeroCount,
                          setup: setup, analysis: analysis, assembly: summary(assembly).median, factor: summary(factor).median,
                          solve: summary(solve).median, iteration: summary(total).median, peak: peakMemory())
            results.append(row)
            FileHandle.standardError.write(Data(String(
                format: "2d-newton: %d × %d cells, %d unknowns: iteration %.3f s (assembly %.3f, factor %.3f, solve %.3f), peak %.0f MB\n",
                r * 2, c, row.unknowns, row.iteration, row.assembly, row.factor, row.solve, row.peak / 1e6).utf8))
            tsv.write(["2d-newton", "\(row.unknowns)", "\(row.iteration)", "\(row.assembly)", "\(row.factor)", "\(row.solve)", "\(row.peak)"])
        }

        print("One Newton iteration on the 2D electrolyte | host stack (median wall time of \(repeats); assembly on \(threads) thread(s); \(solverName == "klu" ? "KLU, ordering " + ordering.rawValue : "UMFPACK"))")
        print("")
        print("| cells (y × x) | unknowns | Jacobian nonzeros | setup (s) | analysis (s) | assembly (ms) | factor (ms) | solve (ms) | iteration (ms) | µs per unknown | peak memory (MB) |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in results {
            print(String(format: "| %d × %d | %d | %d | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %.2f | %.0f |", 2 * r.rows, r.columns, r.unknowns,
                         r.nonzeros, r.setup, r.analysis, r.assembly * 1e3, r.factor * 1e3, r.solve * 1e3, r.iteration * 1e3,
                         r.iteration / Double(r.unknowns) * 1e6, r.peak / 1e6))
        }
        if results.count >= 2 {
            let n = results.map { Double($0.unknowns) }
            print("")
            print(String(format: "Least-squares exponent p of time ∝ unknowns^p: iteration %.2f, assembly %.2f, factor %.2f, solve %.2f",
                         exponent(n, results.map(\.iteration)), exponent(n, results.map(\.assembly)),
                         exponent(n, results.map(\.factor)), exponent(n, results.map(\.solve))))
        }
    }
}
