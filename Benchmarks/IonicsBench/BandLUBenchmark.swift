// `ionics-bench band-lu`: factor + solve of bordered band systems by the band linear
// solver, LAPACKE against the Swift kernel, at 1D-stack sizes.
//
// Each system is a band of kl = ku sub- and super-diagonals with random entries and a
// small diagonal (partial pivoting swaps rows in most columns, so the fill-in is the
// full kl + ku), plus `border` dense global unknowns, given as a CSR SparseMatrix as
// Newton hands it over. Three paths are timed, one after the other in every repeat so
// that the machine's load falls on all alike:
//
//   before   the path as it was: clear the whole storage, copy from CSR, row maxima,
//            row scaling, LAPACKE dgbtrf, X = A⁻¹B by dgbtrs, Schur complement, one solve
//   LAPACKE  BandLinearSolver(kernel: .lapack): fused copy + equilibration, dgbtrf/dgbtrs
//   Swift    BandLinearSolver(kernel: .native): fused copy + equilibration, NativeBandLU
//
// Times are CPU time of this thread (CLOCK_THREAD_CPUTIME_ID, less disturbed than wall
// time by other processes on a shared machine), per factor + solve, median of the repeats.
import Foundation
import IonicsLinearAlgebra

struct BandLUBenchmark {
    var sizes: [Int]
    var bandwidths: [Int]
    var border: Int
    var repeats: Int
    /// Minimum CPU time of one timed batch of factor + solve calls (s).
    var batch = 0.05

    struct Row {
        var n: Int
        var k: Int
        var before: Double
        var lapack: Double
        var swift: Double
        var difference: Double
    }

    func run() throws -> [Row] {
        var rows: [Row] = []
        for n in sizes {
            for k in bandwidths {
                rows.append(try measure(n: n, k: k))
                let r = rows[rows.count - 1]
                FileHandle.standardError.write(Data(String(format: "n %d, kl = ku = %d: before %.1f µs, LAPACKE %.1f µs, Swift %.1f µs\n",
                                                           r.n, r.k, r.before * 1e6, r.lapack * 1e6, r.swift * 1e6).utf8))
            }
        }
        return rows
    }

    func measure(n: Int, k: Int) throws -> Row {
        let pattern = SparsityPattern.band(size: n + border, lower: k, upper: k, borderCount: border)
        var rng = BenchRandom(seed: UInt64(n * 1000 + k))
        var matrix = SparseMatrix(pattern: pattern)
        for i in 0..<pattern.size {
            for s in Int(pattern.rowStart[i])..<Int(pattern.rowStart[i + 1]) {
                let j = Int(pattern.columns[s])
                matrix.values[s] = i == j && i < n ? 0.1 * rng.uniform() : rng.uniform()
            }
        }
        let b = (0..<pattern.size).map { _ in rng.uniform() }

        // The former path, through the public pieces it was made of.
        var storage: BorderedBandMatrix? = BorderedBandMatrix(bandSize: n, lower: k, upper: k, borderCount: border)
        var xBefore = b
        func before() throws {
            var m = storage.take()!
            m.setZero()
            m.fill(from: matrix)
            let lu = try m.factorized(refinementSteps: 0, equilibrate: true, kernel: .lapack)
            xBefore = b
            lu.solve(&xBefore)
            storage = lu.recycle()
        }
        let lapackSolver = BandLinearSolver(pattern: pattern, kernel: .lapack)
        let swiftSolver = BandLinearSolver(pattern: pattern, kernel: .native)
        var xLAPACK = b
        var xSwift = b
        func lapack() throws {
            try lapackSolver.factor(matrix)
            xLAPACK = b
            lapackSolver.solve(&xLAPACK)
        }
        func swift() throws {
            try swiftSolver.factor(matrix)
            xSwift = b
            swiftSolver.solve(&xSwift)
        }

        var times: [[Double]] = [[], [], []]
        for _ in 0..<repeats {
            times[0].append(try timePerCall(before))
            times[1].append(try timePerCall(lapack))
            times[2].append(try timePerCall(swift))
        }
        let scale = xLAPACK.map(abs).max() ?? 1
        let difference = max(
            zip(xSwift, xLAPACK).map { abs($0 - $1) }.max() ?? 0,
            zip(xBefore, xLAPACK).map { abs($0 - $1) }.max() ?? 0) / scale
        return Row(n: n, k: k, before: median(times[0]), lapack: median(times[1]), swift: median(times[2]), difference: difference)
    }

    /// CPU time per call of `body`, over a batch of calls lasting at least `batch` seconds.
    func timePerCall(_ body: () throws -> Void) throws -> Double {
        try body()  // warm: storage allocated, caches filled
        var calls = 0
        let start = threadCPUTime()
        var elapsed = 0.0
        repeat {
            try body()
            calls += 1
            elapsed = threadCPUTime() - start
        } while elapsed < batch
        return elapsed / Double(calls)
    }

    static func table(_ rows: [Row], border: Int, repeats: Int) -> String {
        var out = "Band LU: factor + one solve of a bordered band system (kl = ku, \(border) border unknowns, "
        out += "random entries with pivoting), µs per call, median of \(repeats)\n\n"
        out += "| n | kl = ku | before (µs) | LAPACKE (µs) | Swift (µs) | before / Swift | LAPACKE / Swift | max rel. difference |\n"
        out += "|---|---|---|---|---|---|---|---|\n"
        for r in rows {
            out += String(format: "| %d | %d | %.1f | %.1f | %.1f | %.2f | %.2f | %.0e |\n", r.n, r.k, r.before * 1e6, r.lapack * 1e6,
                          r.swift * 1e6, r.before / r.swift, r.lapack / r.swift, r.difference)
        }
        return out
    }
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
}

/// CPU time consumed by the calling thread (s).
func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
}

/// A small deterministic generator (xorshift64*), so every run times the same systems.
struct BenchRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x2545_F491_4F6C_DD1D | 1 }
    /// Uniform in [−1, 1).
    mutating func uniform() -> Double {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        let bits = (state &* 0x2545_F491_4F6C_DD1D) >> 11
        return Double(bits) / Double(1 << 52) - 1
    }
}
