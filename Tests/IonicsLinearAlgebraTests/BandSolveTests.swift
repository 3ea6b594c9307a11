import IonicsLinearAlgebra
import IonicsTestSupport
import Testing

/// ‖M·x − b‖∞ / (‖M‖∞·‖x‖∞ + ‖b‖∞): the backward error of a solve.
func relativeResidual(_ mx: [Double], _ b: [Double], normM: Double, x: [Double]) -> Double {
    let r = zip(mx, b).map { abs($0 - $1) }.max() ?? 0
    let xn = x.map(abs).max() ?? 0
    let bn = b.map(abs).max() ?? 0
    return r / (normM * xn + bn)
}

/// A random, diagonally dominant (hence well-conditioned) band matrix.
func randomBand(n: Int, kl: Int, ku: Int, seed: UInt64) -> BandMatrix {
    var rng = SplitMix64(seed: seed)
    var a = BandMatrix(size: n, lower: kl, upper: ku)
    for i in 0..<n {
        var rowSum = 0.0
        for j in max(0, i - kl)...min(n - 1, i + ku) where j != i {
            let v = rng.uniform()
            a[i, j] = v
            rowSum += abs(v)
        }
        a[i, i] = (rowSum + 1) * (rng.uniform() < 0 ? -1 : 1)
    }
    return a
}

@Suite("Band, dense and bordered solves")
struct BandSolveTests {
    static let shapes: [(n: Int, kl: Int, ku: Int)] = [(1, 0, 0), (5, 1, 1), (40, 3, 2), (200, 5, 7), (300, 0, 4), (257, 9, 0)]

    @Test("band LU agrees with the dense solve and has a tiny residual", arguments: shapes.indices)
    func bandAgainstDense(_ s: Int) throws {
        let (n, kl, ku) = Self.shapes[s]
        let a = randomBand(n: n, kl: kl, ku: ku, seed: UInt64(17 + s))
        var rng = SplitMix64(seed: 99)
        let b = (0..<n).map { _ in rng.uniform() }
        let x = try a.factorized().solving(b)
        let xd = try a.dense().solve(b)
        #expect(relativeResidual(a.multiply(x), b, normM: a.infinityNorm, x: x) <= 1e-12)
        #expect(normwiseRelativeError(x, xd) <= 1e-12)
    }

    @Test("one band factorisation serves several right-hand sides")
    func reuseFactors() throws {
        let n = 120
        let a = randomBand(n: n, kl: 4, ku: 3, seed: 5)
        let lu = try a.factorized()
        var rng = SplitMix64(seed: 6)
        var columns = (0..<(3 * n)).map { _ in rng.uniform() }
        let original = columns
        lu.solve(columns: &columns, count: 3)
        for c in 0..<3 {
            let x = Array(columns[(c * n)..<((c + 1) * n)])
            let b = Array(original[(c * n)..<((c + 1) * n)])
            #expect(relativeResidual(a.multiply(x), b, normM: a.infinityNorm, x: x) <= 1e-12)
        }
    }

    @Test("a singular band matrix throws with the zero pivot")
    func singularBand() {
        var a = BandMatrix(size: 6, lower: 1, upper: 1)
        for i in 0..<6 { a[i, i] = 2 }
        for i in 0..<5 { a[i, i + 1] = 1; a[i + 1, i] = 0 }
        a[3, 3] = 0
        a[3, 4] = 0
        // Row 3 is zero: elimination meets a zero pivot in column 3.
        a[3, 2] = 0
        do {
            _ = try a.factorized()
            Issue.record("singular matrix factorised")
        } catch {
            #expect(error.pivot == 3)
            #expect(error.description.contains("singular"))
        }
    }

    @Test("a singular dense matrix throws")
    func singularDense() {
        let m = DenseMatrix([[1, 2], [2, 4]])
        #expect(throws: LinearAlgebraError.self) { _ = try m.solve([1, 1]) }
    }

    static let borders: [(n: Int, kl: Int, ku: Int, k: Int)] = [(10, 1, 1, 1), (150, 4, 4, 1), (300, 6, 3, 3), (64, 2, 2, 2), (80, 3, 3, 0)]

    @Test("bordered band solve agrees with the dense solve", arguments: borders.indices)
    func borderedAgainstDense(_ s: Int) throws {
        let (n, kl, ku, k) = Self.borders[s]
        var rng = SplitMix64(seed: UInt64(1000 + s))
        var m = BorderedBandMatrix(bandSize: n, lower: kl, upper: ku, borderCount: k)
        m.band = randomBand(n: n, kl: kl, ku: ku, seed: UInt64(2000 + s))
        for c in 0..<k {
            for i in 0..<n {
                m[i, n + c] = rng.uniform()
                m[n + c, i] = rng.uniform()
            }
            m[n + c, n + c] = Double(n) * 2
        }
        let b = (0..<(n + k)).map { _ in rng.uniform() }
        let x = try m.factorized().solving(b)
        let dense = m.dense()
        let xd = try dense.solve(b)
        #expect(relativeResidual(m.multiply(x), b, normM: dense.infinityNorm, x: x) <= 1e-12)
        #expect(normwiseRelativeError(x, xd) <= 1e-11)
    }

    @Test("a bordered system whose Schur complement vanishes throws at the border row")
    func singularBorder() {
        let n = 8
        var m = BorderedBandMatrix(bandSize: n, lower: 1, upper: 1, borderCount: 1)
        for i in 0..<n { m[i, i] = 1 }
        // C = 0 and D = 0 make the border row zero.
        for i in 0..<n { m[i, n] = 1 }
        do {
            _ = try m.factorized()
            Issue.record("singular bordered matrix factorised")
        } catch {
            #expect(error.pivot == n)
        }
    }

    @Test("global indices route entries to band, borders and corner")
    func routing() {
        var m = BorderedBandMatrix(bandSize: 4, lower: 1, upper: 1, borderCount: 2)
        m.add(1.5, row: 1, column: 2)
        m.add(2.5, row: 0, column: 5)
        m.add(3.5, row: 4, column: 3)
        m.add(4.5, row: 5, column: 4)
        #expect(m[1, 2] == 1.5)
        #expect(m.right[0 + 1 * 4] == 2.5)
        #expect(m.bottom[0 * 4 + 3] == 3.5)
        #expect(m.corner[1 + 0 * 2] == 4.5)
        #expect(!m.contains(row: 0, column: 3))
        #expect(m.contains(row: 0, column: 4))
    }
}
