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
}

private func pow10(_ e: Int) -> Double {
    var x = 1.0
    for _ in 0..<abs(e) { x *= 10 }
    return e < 0 ? 1 / x : x
}
