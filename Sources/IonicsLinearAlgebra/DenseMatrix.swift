/// A dense column-major matrix.
public struct DenseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var storage: [Double]

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        storage = [Double](repeating: 0, count: rows * columns)
    }

    /// From rows of values (row-major literal, stored column-major).
    public init(_ rowValues: [[Double]]) {
        let r = rowValues.count
        let c = rowValues.first?.count ?? 0
        self.init(rows: r, columns: c)
        for i in 0..<r {
            precondition(rowValues[i].count == c, "ragged rows")
            for j in 0..<c { self[i, j] = rowValues[i][j] }
        }
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row + column * rows] }
        set { storage[row + column * rows] = newValue }
    }

    /// y = A·x.
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == columns)
        var y = [Double](repeating: 0, count: rows)
        for j in 0..<columns where x[j] != 0 {
            for i in 0..<rows { y[i] += storage[i + j * rows] * x[j] }
        }
        return y
    }

    public var infinityNorm: Double {
        (0..<rows).map { i in (0..<columns).reduce(0) { $0 + abs(self[i, $1]) } }.max() ?? 0
    }

    /// LU factorisation with partial pivoting (LAPACK dgetrf).
    public func factorized() throws(LinearAlgebraError) -> DenseLU {
        try DenseLU(factorizing: self)
    }

    /// Solves A·x = b (dgetrf + dgetrs).
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try factorized().solving(b)
    }
}

/// LU factors of a square ``DenseMatrix`` (dgetrf), reusable for several right-hand sides.
public struct DenseLU: Sendable {
    public let size: Int
    var factors: [Double]
    var pivots: [Int32]

    init(factorizing matrix: DenseMatrix) throws(LinearAlgebraError) {
        precondition(matrix.rows == matrix.columns, "LU needs a square matrix")
        size = matrix.rows
        factors = matrix.storage
        pivots = [Int32](repeating: 0, count: max(1, size))
        if size == 0 { return }
        let n = size
        try factors.withUnsafeMutableBufferPointer { (a) throws(LinearAlgebraError) in
            try pivots.withUnsafeMutableBufferPointer { (ipiv) throws(LinearAlgebraError) in
                try LAPACK.dgetrf(m: n, n: n, a: a.baseAddress!, lda: n, ipiv: ipiv.baseAddress!)
            }
        }
    }

    /// Solves in place for `count` column-major right-hand sides.
    public func solve(columns: inout [Double], count: Int) {
        precondition(columns.count == size * count)
        if size == 0 || count == 0 { return }
        factors.withUnsafeBufferPointer { a in
            pivots.withUnsafeBufferPointer { ipiv in
                columns.withUnsafeMutableBufferPointer { b in
                    try! LAPACK.dgetrs(
                        n: size, nrhs: count, a: a.baseAddress!, lda: size, ipiv: ipiv.baseAddress!,
                        b: b.baseAddress!, ldb: size)
                }
            }
        }
    }

    /// Solves in place for `count` column-major right-hand sides starting at `b`.
    func solve(_ b: UnsafeMutablePointer<Double>, count: Int) {
        if size == 0 || count == 0 { return }
        factors.withUnsafeBufferPointer { a in
            pivots.withUnsafeBufferPointer { ipiv in
                try! LAPACK.dgetrs(
                    n: size, nrhs: count, a: a.baseAddress!, lda: size, ipiv: ipiv.baseAddress!, b: b, ldb: size)
            }
        }
    }

    public func solving(_ b: [Double]) -> [Double] {
        var x = b
        solve(columns: &x, count: 1)
        return x
    }
}
