import Foundation
import IonicsLinearAlgebra
import IonicsTestSupport
import Testing

/// Fills every entry of the pattern with random values, the diagonal made dominant
/// by `dominance` (0: not dominant, pivoting needed).
func randomMatrix(_ p: SparsityPattern, seed: UInt64, dominance: Double = 0) -> SparseMatrix {
    var rng = SplitMix64(seed: seed)
    var m = SparseMatrix(pattern: p)
    for i in 0..<p.size {
        for s in Int(p.rowStart[i])..<Int(p.rowStart[i + 1]) {
            let j = Int(p.columns[s])
            m[i, j] = rng.uniform() + (i == j ? dominance : 0)
        }
    }
    return m
}

func relativeResidual(_ m: SparseMatrix, _ x: [Double], _ b: [Double]) -> Double {
    let r = zip(m.multiply(x), b).map { abs($0 - $1) }.max()!
    return r / (m.infinityNorm * x.map(abs).max()! + b.map(abs).max()!)
}

/// The 5-point Laplacian pattern of an nx × ny grid plus `border` dense unknowns.
func gridPattern(nx: Int, ny: Int, border: Int) -> SparsityPattern {
    let n = nx * ny
    let rows: [[Int]] = (0..<(n + border)).map { r in
        if r >= n { return Array(0..<(n + border)) }
        let (i, j) = (r % nx, r / nx)
        var c = [r]
        if i > 0 { c.append(r - 1) }
        if i < nx - 1 { c.append(r + 1) }
        if j > 0 { c.append(r - nx) }
        if j < ny - 1 { c.append(r + nx) }
        return c + Array(n..<(n + border))
    }
    return SparsityPattern(size: n + border, borderCount: border, rows: rows)
}

@Suite("Sparse Jacobians and linear solvers")
struct SparseSolveTests {
    @Test("pattern rows are sorted, unique and hold the diagonal; slots and bandwidths are right")
    func pattern() {
        let p = SparsityPattern(size: 4, borderCount: 1, rows: [[3, 1, 1], [0], [], [0, 1, 2]])
        #expect(p.columns == [0, 1, 3, 0, 1, 2, 0, 1, 2, 3])
        #expect(p.rowStart == [0, 3, 5, 6, 10])
        #expect(p.slot(row: 0, column: 3) == 2)
        #expect(p.slot(row: 2, column: 0) == nil)
        #expect(p.bandwidths.lower == 1 && p.bandwidths.upper == 1)
        let band = SparsityPattern.band(size: 7, lower: 2, upper: 1, borderCount: 2)
        #expect(band.bandwidths.lower == 2 && band.bandwidths.upper == 1)
        #expect(band.nonzeroCount == (2 + 3 + 4 + 4 + 3) + 5 * 2 + 2 * 7)
    }

    @Test("the accumulator, add and subscript write the same slots")
    func accumulate() {
        let p = SparsityPattern.band(size: 40, lower: 3, upper: 3, borderCount: 2)
        var a = SparseMatrix(pattern: p)
        var b = SparseMatrix(pattern: p)
        a.withAccumulator { acc in
            for i in 0..<40 { for j in max(0, i - 3)...min(37, i + 3) where i < 38 { acc.add(Double(i * 100 + j), row: i, column: j) } }
            for i in 0..<40 { acc.add(0.5, row: i, column: 39); acc.add(0.25, row: 38, column: i) }
        }
        for i in 0..<40 { for j in max(0, i - 3)...min(37, i + 3) where i < 38 { b.add(Double(i * 100 + j), row: i, column: j) } }
        for i in 0..<40 { b[i, 39] += 0.5; b[38, i] += 0.25 }
        #expect(a.values == b.values)
        #expect(a[5, 7] == 507)
        #expect(a[5, 9] == 0)
    }

    @Test("band LU, KLU and UMFPACK solve bordered band systems to a relative residual ≤ 1e-12 and agree")
    func borderedBand() throws {
        for (n, kl, ku, k) in [(60, 2, 3, 0), (200, 5, 5, 2), (31, 1, 1, 4)] {
            let p = SparsityPattern.band(size: n + k, lower: kl, upper: ku, borderCount: k)
            let m = randomMatrix(p, seed: UInt64(n * 7 + k))
            var rng = SplitMix64(seed: 99)
            let b = (0..<(n + k)).map { _ in rng.uniform() }
            var xBand = b
            let band = BandLinearSolver(pattern: p)
            try band.factor(m)
            band.solve(&xBand)
            var xKLU = b
            let klu = try KLUSolver(pattern: p)
            try klu.factor(m)
            klu.solve(&xKLU)
            var xUMF = b
            let umf = try UMFPACKSolver(pattern: p)
            try umf.factor(m)
            umf.solve(&xUMF)
            #expect(relativeResidual(m, xBand, b) < 1e-12)
            #expect(relativeResidual(m, xKLU, b) < 1e-12)
            #expect(relativeResidual(m, xUMF, b) < 1e-12)
            let diff = zip(xBand, xKLU).map { abs($0 - $1) }.max()! / xKLU.map(abs).max()!
            #expect(diff < 1e-10)
            let diffUMF = zip(xUMF, xKLU).map { abs($0 - $1) }.max()! / xKLU.map(abs).max()!
            #expect(diffUMF < 1e-10)
        }
    }

    @Test("KLU and UMFPACK solve a 2D grid pattern with a dense border; refactoring new values reuses the analysis")
    func grid() throws {
        let p = gridPattern(nx: 30, ny: 20, border: 2)
        for klu in [try KLUSolver(pattern: p), try UMFPACKSolver(pattern: p)] as [any LinearSolver] {
        for seed in [1, 2, 3] as [UInt64] {
            let m = randomMatrix(p, seed: seed, dominance: seed == 1 ? 0 : 4)
            let b = (0..<p.size).map { sin(Double($0)) }
            var x = b
            try klu.factor(m)
            klu.solve(&x)
            #expect(relativeResidual(m, x, b) < 1e-12)
            let dense = try m.dense().solve(b)
            #expect(zip(x, dense).map { abs($0 - $1) }.max()! < 1e-9 * dense.map(abs).max()!)
        }
        }
        #expect(LinearSolverKind.automatic.resolved(for: p) == .umfpack)
        #expect(LinearSolverKind.automatic.resolved(for: .band(size: 100, lower: 4, upper: 4, borderCount: 2)) == .band)
    }

    @Test("a singular matrix throws with its zero pivot's row, for every solver")
    func singular() throws {
        let p = SparsityPattern.band(size: 6, lower: 1, upper: 1)
        var m = randomMatrix(p, seed: 5, dominance: 3)
        m.zeroRow(3)
        for kind in [LinearSolverKind.band, .klu, .umfpack] {
            let s = try kind.make(pattern: p)
            #expect(throws: LinearAlgebraError.self) { try s.factor(m) }
            do {
                try s.factor(m)
            } catch {
                #expect(error.pivot == 3, "\(kind): pivot \(String(describing: error.pivot))")
            }
        }
    }
}
