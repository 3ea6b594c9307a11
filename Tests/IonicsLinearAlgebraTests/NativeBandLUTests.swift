import IonicsLinearAlgebra
import IonicsTestSupport
import Testing

/// A random band matrix whose diagonal is small next to its off-diagonal entries, so
/// partial pivoting swaps rows in most columns and the fill-in reaches kl + ku
/// super-diagonals. A triangular band (kl = 0 or ku = 0) gets diagonal entries of
/// magnitude 0.5–1 instead: with small ones it would be singular to working precision
/// (its determinant is their product).
func randomPivotingBand(n: Int, kl: Int, ku: Int, seed: UInt64) -> BandMatrix {
    var rng = SplitMix64(seed: seed)
    var a = BandMatrix(size: n, lower: kl, upper: ku)
    let triangular = a.lower == 0 || a.upper == 0
    for i in 0..<n {
        for j in max(0, i - a.lower)...min(n - 1, i + a.upper) {
            if i != j {
                a[i, j] = rng.uniform()
            } else {
                let u = rng.uniform()
                a[i, j] = triangular ? (u < 0 ? -1 : 1) * (0.5 + 0.5 * abs(u)) : 0.1 * u
            }
        }
    }
    return a
}

/// ‖A⁻¹‖∞, from the dense inverse (small matrices only).
func inverseNorm(_ a: BandMatrix) throws -> Double { try inverseNorm(a.dense()) }

/// ‖A⁻¹‖∞, from the dense inverse (small matrices only).
func inverseNorm(_ a: DenseMatrix) throws -> Double {
    let n = a.rows
    var identity = [Double](repeating: 0, count: n * n)
    for i in 0..<n { identity[i + i * n] = 1 }
    try a.factorized().solve(columns: &identity, count: n)
    return (0..<n).map { i in (0..<n).reduce(0.0) { $0 + abs(identity[i + $1 * n]) } }.max() ?? 0
}

/// Column `c` of `count` columns of length `n` stored one after the other.
func column(_ values: [Double], _ c: Int, length n: Int) -> [Double] {
    Array(values[(c * n)..<((c + 1) * n)])
}

@Suite("Swift band LU against LAPACK and dense LU")
struct NativeBandLUTests {
    /// (n, kl, ku, right-hand sides): n = 1, kl = 0, ku = 0, kl ≠ ku, bandwidths wider
    /// than the matrix (clamped to n − 1), many right-hand sides.
    static let shapes: [(n: Int, kl: Int, ku: Int, count: Int)] = [
        (1, 0, 0, 1), (1, 3, 2, 2), (2, 1, 1, 1), (7, 2, 3, 3), (50, 0, 3, 2), (50, 4, 0, 2),
        (60, 1, 1, 5), (120, 3, 7, 1), (120, 8, 2, 4), (200, 5, 5, 17), (64, 12, 12, 3), (6, 9, 9, 2),
        (300, 16, 16, 2), (150, 33, 31, 2), (240, 40, 70, 2),
    ]

    @Test("factors of the Swift LU solve like dgbtrf/dgbtrs and the dense LU, with the same pivots", arguments: shapes.indices)
    func agreesWithLAPACK(_ s: Int) throws {
        let (n, kl, ku, count) = Self.shapes[s]
        let a = randomPivotingBand(n: n, kl: kl, ku: ku, seed: UInt64(300 + s))
        var rng = SplitMix64(seed: UInt64(400 + s))
        let b = (0..<(n * count)).map { _ in rng.uniform() }

        let native = try a.factorized(kernel: .native)
        let lapack = try a.factorized(kernel: .lapack)
        #expect(native.kernel == .native && lapack.kernel == .lapack)
        // Same algorithm, same pivots (the random entries leave no near ties).
        #expect(native.rowInterchanges == lapack.rowInterchanges)
        if n >= 5 && a.lower > 0 {
            #expect(native.rowInterchanges.enumerated().contains { $0.element != $0.offset }, "the test matrix should need pivoting")
        }
        var xNative = b
        native.solve(columns: &xNative, count: count)
        var xLAPACK = b
        lapack.solve(columns: &xLAPACK, count: count)
        let dense = try a.dense().factorized()
        var xDense = b
        dense.solve(columns: &xDense, count: count)

        let norm = a.infinityNorm
        // Two backward-stable solves differ by about round-off times the condition number;
        // the triangular shapes (kl = 0 or ku = 0) with pivoting are far from well conditioned.
        let condition = try norm * inverseNorm(a)
        let tolerance = max(1e-12, 1e-13 * condition)
        for c in 0..<count {
            let (bc, xn, xl, xd) = (column(b, c, length: n), column(xNative, c, length: n),
                                    column(xLAPACK, c, length: n), column(xDense, c, length: n))
            #expect(relativeResidual(a.multiply(xn), bc, normM: norm, x: xn) <= 1e-12)
            #expect(relativeResidual(a.multiply(xl), bc, normM: norm, x: xl) <= 1e-12)
            #expect(normwiseRelativeError(xn, xl) <= tolerance, "κ∞ = \(condition)")
            #expect(normwiseRelativeError(xn, xd) <= tolerance, "κ∞ = \(condition)")
        }
    }

    @Test("the Swift solve of a diagonally dominant band matches dgbtrs to round-off", arguments: [(400, 3, 3), (257, 9, 0), (300, 0, 4)])
    func wellConditioned(_ shape: (Int, Int, Int)) throws {
        let (n, kl, ku) = shape
        let a = randomBand(n: n, kl: kl, ku: ku, seed: UInt64(n + kl))
        let b = (0..<n).map { Double($0 % 7) - 3 }
        let xn = try a.factorized(kernel: .native).solving(b)
        let xl = try a.factorized(kernel: .lapack).solving(b)
        #expect(normwiseRelativeError(xn, xl) <= 1e-14)
    }

    /// Band matrices with an exactly zero pivot and the step that meets it.
    static func singularCases() -> [(name: String, matrix: BandMatrix, pivot: Int)] {
        var cases: [(String, BandMatrix, Int)] = []
        // A zero column: no row can supply a pivot at step 3.
        var zeroColumn = randomBand(n: 8, kl: 2, ku: 1, seed: 1)
        for i in 0..<8 where zeroColumn.contains(row: i, column: 3) { zeroColumn[i, 3] = 0 }
        cases.append(("zero column", zeroColumn, 3))
        // Rows 0 and 1 are proportional over the columns they reach: after the swap and
        // the elimination of column 0, A(1, 1) = 0 and column 1 has nothing below (kl = 1).
        var dependent = BandMatrix(size: 5, lower: 1, upper: 1)
        dependent[0, 0] = 1; dependent[0, 1] = 2
        dependent[1, 0] = 2; dependent[1, 1] = 4; dependent[1, 2] = 0
        dependent[2, 1] = 0; dependent[2, 2] = 3; dependent[2, 3] = 1
        dependent[3, 2] = 1; dependent[3, 3] = 3; dependent[3, 4] = 1
        dependent[4, 3] = 1; dependent[4, 4] = 3
        cases.append(("dependent rows", dependent, 1))
        // Upper triangular (kl = 0) with a zero on the diagonal.
        var triangular = randomBand(n: 6, kl: 0, ku: 2, seed: 2)
        triangular[2, 2] = 0
        cases.append(("kl = 0", triangular, 2))
        // The last pivot of a 1×1 and of a larger matrix.
        cases.append(("1×1 zero", BandMatrix(size: 1, lower: 0, upper: 0), 0))
        var last = randomBand(n: 5, kl: 1, ku: 1, seed: 3)
        last[4, 3] = 0; last[4, 4] = 0
        cases.append(("zero last row", last, 4))
        return cases
    }

    @Test("a singular band matrix reports the same zero pivot from both kernels", arguments: BandLUKernel.allCases)
    func singular(_ kernel: BandLUKernel) {
        for (name, matrix, pivot) in Self.singularCases() {
            do {
                _ = try matrix.factorized(kernel: kernel)
                Issue.record("\(name): singular matrix factorised by \(kernel)")
            } catch {
                #expect(error.pivot == pivot, "\(name), \(kernel): \(error)")
            }
        }
    }

    @Test("automatic takes the Swift kernel for narrow bands and LAPACK beyond the crossover")
    func automaticChoice() throws {
        #expect(BandLUKernel.automatic.resolved(lower: 8, upper: 8) == .native)
        let limit = BandLUKernel.nativeLimit
        #expect(BandLUKernel.automatic.resolved(lower: limit / 2, upper: limit - limit / 2) == .native)
        #expect(BandLUKernel.automatic.resolved(lower: limit / 2 + 1, upper: limit - limit / 2) == .lapack)
        #expect(BandLUKernel.lapack.resolved(lower: 1, upper: 1) == .lapack)
        #expect(try randomBand(n: 10, kl: 2, ku: 2, seed: 4).factorized().kernel == .native)
    }

    @Test("bordered solves agree with the dense solve for both kernels", arguments: BandLUKernel.allCases)
    func bordered(_ kernel: BandLUKernel) throws {
        for (n, kl, ku, k) in [(1, 0, 0, 2), (90, 3, 5, 2), (200, 6, 6, 4), (40, 0, 2, 1)] {
            var rng = SplitMix64(seed: UInt64(n * 31 + k))
            var m = BorderedBandMatrix(bandSize: n, lower: kl, upper: ku, borderCount: k)
            m.band = randomPivotingBand(n: n, kl: kl, ku: ku, seed: UInt64(n))
            if kl == 0 { for i in 0..<n { m.band[i, i] = 1 + rng.uniform(0, 1) } }
            fillBorders(&m, from: [Int](repeating: 0, count: k), &rng)
            let b = (0..<(n + k)).map { _ in rng.uniform() }
            let dense = m.dense()
            let xd = try dense.solve(b)
            for refinementSteps in [0, 1] {
                for equilibrate in [false, true] {
                    let x = try m.factorized(refinementSteps: refinementSteps, equilibrate: equilibrate, kernel: kernel).solving(b)
                    #expect(relativeResidual(m.multiply(x), b, normM: dense.infinityNorm, x: x) <= 1e-12)
                    #expect(normwiseRelativeError(x, xd) <= 1e-10)
                }
            }
        }
    }
}

extension NativeBandLUTests {
    /// Border columns and rows that are zero above / left of some row (the sweeps skip
    /// them there), entirely zero, or nonzero only at the end, as device Jacobians have.
    @Test("sparse borders solve like the dense matrix, for both kernels", arguments: BandLUKernel.allCases)
    func sparseBorders(_ kernel: BandLUKernel) throws {
        for (n, kl, ku) in [(120, 3, 3), (60, 1, 4), (80, 5, 0), (9, 2, 2)] {
            let k = 4
            var rng = SplitMix64(seed: UInt64(n + 7 * kl + ku))
            var m = BorderedBandMatrix(bandSize: n, lower: kl, upper: ku, borderCount: k)
            m.band = randomPivotingBand(n: n, kl: kl, ku: ku, seed: UInt64(n * 3 + kl))
            // Column / row 0 from the first cell on, 1 from the middle on (just below a row
            // an interchange can reach), 2 zero, 3 only in the last two cells.
            let firsts = [0, n / 2, n, n - 2]
            fillBorders(&m, from: firsts, &rng)
            let b = (0..<(n + k)).map { _ in rng.uniform() }
            let dense = m.dense()
            let xd = try dense.solve(b)
            let x = try m.factorized(refinementSteps: 0, kernel: kernel).solving(b)
            let condition = try dense.infinityNorm * inverseNorm(dense)
            #expect(relativeResidual(m.multiply(x), b, normM: dense.infinityNorm, x: x) <= 1e-12)
            #expect(normwiseRelativeError(x, xd) <= max(1e-12, 1e-13 * condition), "κ∞ = \(condition)")
        }
    }
}

/// Random border column and row c from band row `firsts[c]` on (zero above / left of it),
/// with 4 on the corner's diagonal.
func fillBorders(_ m: inout BorderedBandMatrix, from firsts: [Int], _ rng: inout SplitMix64) {
    let n = m.bandSize
    for c in 0..<m.borderCount {
        for i in firsts[c]..<n {
            m[i, n + c] = rng.uniform()
            m[n + c, i] = rng.uniform()
        }
        m[n + c, n + c] = 4
    }
}
