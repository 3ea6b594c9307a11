/// Small dense least squares for the export fits (at most a few dozen unknowns).
enum DenseSolve {
    /// Solves min ‖A x − b‖² through the normal equations, A given by rows of length n,
    /// by Gaussian elimination with partial pivoting. nil when singular.
    static func leastSquares(rows: [[Double]], rhs: [Double], n: Int) -> [Double]? {
        var m = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
        for (row, b) in zip(rows, rhs) {
            for i in 0..<n where row[i] != 0 {
                for j in 0..<n { m[i][j] += row[i] * row[j] }
                m[i][n] += row[i] * b
            }
        }
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }), abs(m[pivot][col]) > 1e-300 else { return nil }
            m.swapAt(col, pivot)
            for r in (col + 1)..<n where m[r][col] != 0 {
                let f = m[r][col] / m[col][col]
                for c in col...n { m[r][c] -= f * m[col][c] }
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = m[r][n]
            for c in (r + 1)..<n { s -= m[r][c] * x[c] }
            x[r] = s / m[r][r]
        }
        return x
    }

    /// Straight-line fit y ≈ a + b x; nil with fewer than two distinct x.
    static func line(_ x: [Double], _ y: [Double]) -> (a: Double, b: Double)? {
        guard let s = leastSquares(rows: x.map { [1, $0] }, rhs: y, n: 2), s.allSatisfy(\.isFinite) else { return nil }
        return (s[0], s[1])
    }
}
