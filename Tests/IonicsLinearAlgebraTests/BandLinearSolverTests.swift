import IonicsLinearAlgebra
import IonicsTestSupport
import Testing

@Suite("Band linear solver: fused copy and equilibration")
struct BandLinearSolverTests {
    /// A block-tridiagonal pattern like a 1D stack's (every unknown of a cell couples to
    /// every unknown of its neighbours, cells of 2 or 3 unknowns), whose band therefore has
    /// holes, plus `border` global unknowns coupled to every row but one.
    static func stackPattern(cells: Int, border: Int) -> SparsityPattern {
        var first: [Int] = []
        var n = 0
        for c in 0..<cells {
            first.append(n)
            n += c % 3 == 0 ? 3 : 2
        }
        first.append(n)
        var rows = [[Int]](repeating: [], count: n + border)
        for c in 0..<cells {
            let columns = Array(first[max(0, c - 1)]..<first[min(cells, c + 2)])
            for r in first[c]..<first[c + 1] { rows[r] = columns + Array(n..<(n + border)) }
        }
        for g in 0..<border { rows[n + g] = Array(0..<(n + border)) }
        // One row without border entries: the borders then have holes too.
        if border > 0 { rows[1] = rows[1].filter { $0 < n } }
        return SparsityPattern(size: n + border, borderCount: border, rows: rows)
    }

    @Test("the fused copy gives the same scaled matrix, bit for bit, as copy, row maxima and scaling")
    func fusedFill() throws {
        let p = Self.stackPattern(cells: 40, border: 2)
        let n = p.size - p.borderCount
        let (kl, ku) = p.bandwidths
        var rng = SplitMix64(seed: 8)
        var m = randomMatrix(p, seed: 9)
        for s in m.values.indices { m.values[s] *= pow10(Int(rng.uniform(-6, 6))) }

        var reference = BorderedBandMatrix(bandSize: n, lower: kl, upper: ku, borderCount: p.borderCount)
        reference.fill(from: m)
        let maxima = reference.rowMaxima()
        let scale = maxima.map { 1 / $0 }
        reference.scaleRows(by: scale)

        // A storage holding stale values everywhere, as a recycled factorisation does.
        var fused = BorderedBandMatrix(bandSize: n, lower: kl, upper: ku, borderCount: p.borderCount)
        for i in fused.band.storage.indices { fused.band.storage[i] = rng.uniform() }
        for i in fused.right.indices { fused.right[i] = 7 }
        for i in fused.bottom.indices { fused.bottom[i] = 7 }
        for i in fused.corner.indices { fused.corner[i] = 7 }
        let holes = BandLinearSolver.holes(of: p)
        let fusedScale = try fused.fillEquilibrated(from: m, bandHoles: holes.band, clearingBorders: holes.borders)
        #expect(fusedScale == scale)
        #expect(fused.right == reference.right && fused.bottom == reference.bottom && fused.corner == reference.corner)
        for i in 0..<n {
            for j in max(0, i - kl)...min(n - 1, i + ku) {
                #expect(fused.band[i, j] == reference.band[i, j], "(\(i), \(j))")
            }
        }
    }

    @Test("a zero row is reported by the fused equilibration")
    func zeroRow() {
        let p = Self.stackPattern(cells: 10, border: 1)
        var m = randomMatrix(p, seed: 3)
        m.zeroRow(5)
        let solver = BandLinearSolver(pattern: p)
        do {
            try solver.factor(m)
            Issue.record("zero row factorised")
        } catch {
            #expect(error.pivot == 5)
        }
    }

    @Test("Swift and LAPACK kernels solve the same systems, refactoring in recycled storage", arguments: [0, 1, 3])
    func kernelsAgree(_ border: Int) throws {
        let p = Self.stackPattern(cells: 60, border: border)
        let native = BandLinearSolver(pattern: p, kernel: .native)
        let lapack = BandLinearSolver(pattern: p, kernel: .lapack)
        #expect(native.kernel == .native && lapack.kernel == .lapack)
        #expect(BandLinearSolver(pattern: p).kernel == .native)
        for seed in [1, 2, 3] as [UInt64] {
            let m = randomMatrix(p, seed: seed, dominance: seed == 2 ? 3 : 0)
            let b = (0..<p.size).map { Double(($0 * 37) % 11) - 5 }
            try native.factor(m)
            try lapack.factor(m)
            var xn = b
            native.solve(&xn)
            var xl = b
            lapack.solve(&xl)
            let xd = try m.dense().solve(b)
            #expect(relativeResidual(m, xn, b) <= 1e-12)
            #expect(relativeResidual(m, xl, b) <= 1e-12)
            #expect(normwiseRelativeError(xn, xl) <= 1e-10)
            #expect(normwiseRelativeError(xn, xd) <= 1e-10)
        }
    }

    /// A stack whose border couples only to the first `reach` band unknowns, as a terminal at
    /// the first face does (the other border entries are zero values of a dense pattern).
    static func firstFaceMatrix(_ p: SparsityPattern, seed: UInt64, reach: Int) -> SparseMatrix {
        var m = randomMatrix(p, seed: seed)
        let n = p.size - p.borderCount
        for i in 0..<p.size {
            for s in Int(p.rowStart[i])..<Int(p.rowStart[i + 1]) {
                let j = Int(p.columns[s])
                if (i < n && j >= n && i >= reach) || (i >= n && j < n && j >= reach) { m.values[s] = 0 }
            }
        }
        return m
    }

    @Test("a border at the band's start is eliminated on the reversed band: same solutions as the natural order", arguments: [1, 2])
    func reversedOrder(_ border: Int) throws {
        let p = Self.stackPattern(cells: 60, border: border)
        let automatic = BandLinearSolver(pattern: p)
        let natural = BandLinearSolver(pattern: p, order: .natural)
        let lapack = BandLinearSolver(pattern: p, kernel: .lapack, order: .reversed)
        for seed in [4, 5, 6] as [UInt64] {
            let m = Self.firstFaceMatrix(p, seed: seed, reach: 3)
            #expect(BandLinearSolver.prefersReversal(m))
            let b = (0..<p.size).map { Double(($0 * 29) % 13) - 6 }
            var xs: [[Double]] = []
            for solver in [automatic, natural, lapack] {
                try solver.factor(m)
                var x = b
                solver.solve(&x)
                #expect(relativeResidual(m, x, b) <= 1e-12)
                xs.append(x)
            }
            #expect(automatic.order == .reversed && natural.order == .natural)
            #expect(normwiseRelativeError(xs[0], xs[1]) <= 1e-10)
            #expect(normwiseRelativeError(xs[2], xs[1]) <= 1e-10)
            #expect(normwiseRelativeError(xs[0], try m.dense().solve(b)) <= 1e-10)
        }
        // Dense border values: nothing to gain, the natural order stays.
        #expect(!BandLinearSolver.prefersReversal(randomMatrix(p, seed: 7)))
    }

    @Test("a zero row or a zero pivot of a reversed band is reported at its row in the matrix as given")
    func reversedZeroRow() {
        let p = Self.stackPattern(cells: 10, border: 1)
        var m = Self.firstFaceMatrix(p, seed: 3, reach: 2)
        m.zeroRow(5)
        let solver = BandLinearSolver(pattern: p, order: .reversed)
        do {
            try solver.factor(m)
            Issue.record("zero row factorised")
        } catch {
            #expect(error.pivot == 5)
        }
        // Band column 0 zero but for its diagonal, which is zero too: the first column
        // eliminated on the natural band, the last one on the reversed band, whose
        // earlier eliminations leave it an exact zero pivot.
        var z = Self.firstFaceMatrix(p, seed: 3, reach: 2)
        let n = p.size - p.borderCount
        for i in 0..<p.size where i != 0 { if p.slot(row: i, column: 0) != nil { z[i, 0] = 0 } }
        z[0, 0] = 0
        for order in [BandLinearSolver.BandOrder.natural, .reversed] {
            do {
                try BandLinearSolver(pattern: p, order: order).factor(z)
                Issue.record("singular matrix factorised (\(order))")
            } catch {
                #expect(error.pivot.map { $0 < n } == true, "\(order): \(error)")
                if order == .natural { #expect(error.pivot == 0) }
            }
        }
    }
}

private func pow10(_ e: Int) -> Double {
    var x = 1.0
    for _ in 0..<abs(e) { x *= 10 }
    return e < 0 ? 1 / x : x
}
