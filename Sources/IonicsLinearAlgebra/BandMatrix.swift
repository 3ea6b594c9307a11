/// A square band matrix in LAPACK band storage, ready for `dgbtrf`.
///
/// Entry A(i, j) (0-based) with `j − upper ≤ i ≤ j + lower` lives at
/// `storage[(lower + upper + i − j) + j·leadingDimension]`; the first `lower` rows of
/// each column are the workspace LAPACK needs for the fill-in of partial pivoting,
/// so `leadingDimension = 2·lower + upper + 1`.
public struct BandMatrix: Sendable {
    public let size: Int
    /// Number of sub-diagonals kl.
    public let lower: Int
    /// Number of super-diagonals ku.
    public let upper: Int
    public let leadingDimension: Int
    public var storage: [Double]

    public init(size: Int, lower: Int, upper: Int) {
        precondition(size > 0 && lower >= 0 && upper >= 0, "band matrix needs size > 0 and bandwidths ≥ 0")
        self.size = size
        self.lower = min(lower, size - 1)
        self.upper = min(upper, size - 1)
        leadingDimension = 2 * self.lower + self.upper + 1
        storage = [Double](repeating: 0, count: leadingDimension * size)
    }

    /// Whether (row, column) lies inside the band.
    @inlinable
    public func contains(row: Int, column: Int) -> Bool {
        row >= 0 && column >= 0 && row < size && column < size
            && row - column <= lower && column - row <= upper
    }

    @usableFromInline @inline(__always)
    func offset(_ row: Int, _ column: Int) -> Int {
        precondition(contains(row: row, column: column), "entry (\(row), \(column)) outside the band")
        return (lower + upper + row - column) + column * leadingDimension
    }

    public subscript(row: Int, column: Int) -> Double {
        get { contains(row: row, column: column) ? storage[offset(row, column)] : 0 }
        set { storage[offset(row, column)] = newValue }
    }

    /// A(row, column) += value.
    @inlinable
    public mutating func add(_ value: Double, row: Int, column: Int) {
        storage[offset(row, column)] += value
    }

    /// Sets every entry to zero, keeping the allocation.
    public mutating func setZero() {
        storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// y = A·x.
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == size)
        var y = [Double](repeating: 0, count: size)
        for j in 0..<size {
            let xj = x[j]
            if xj == 0 { continue }
            for i in max(0, j - upper)...min(size - 1, j + lower) {
                y[i] += storage[(lower + upper + i - j) + j * leadingDimension] * xj
            }
        }
        return y
    }

    /// Infinity norm max_i Σ_j |A(i, j)|.
    public var infinityNorm: Double {
        var rows = [Double](repeating: 0, count: size)
        for j in 0..<size {
            for i in max(0, j - upper)...min(size - 1, j + lower) {
                rows[i] += abs(storage[(lower + upper + i - j) + j * leadingDimension])
            }
        }
        return rows.max() ?? 0
    }

    /// The same matrix as a dense one (for tests and small problems).
    public func dense() -> DenseMatrix {
        var d = DenseMatrix(rows: size, columns: size)
        for j in 0..<size {
            for i in max(0, j - upper)...min(size - 1, j + lower) { d[i, j] = self[i, j] }
        }
        return d
    }

    /// LU factorisation with partial pivoting (LAPACK dgbtrf); reusable for any number
    /// of right-hand sides. Throws ``LinearAlgebraError/singular(function:pivot:)``.
    public consuming func factorized() throws(LinearAlgebraError) -> BandLU {
        try BandLU(factorizing: self)
    }
}

/// The LU factors of a ``BandMatrix`` (LAPACK dgbtrf), reusable for several
/// right-hand sides (dgbtrs).
public struct BandLU: Sendable {
    public let size: Int
    let lower: Int
    let upper: Int
    let leadingDimension: Int
    var factors: [Double]
    var pivots: [Int32]

    init(factorizing matrix: consuming BandMatrix) throws(LinearAlgebraError) {
        size = matrix.size
        lower = matrix.lower
        upper = matrix.upper
        leadingDimension = matrix.leadingDimension
        factors = matrix.storage
        pivots = [Int32](repeating: 0, count: matrix.size)
        let (n, kl, ku, ld) = (size, lower, upper, leadingDimension)
        try factors.withUnsafeMutableBufferPointer { (ab) throws(LinearAlgebraError) in
            try pivots.withUnsafeMutableBufferPointer { (ipiv) throws(LinearAlgebraError) in
                try LAPACK.dgbtrf(n: n, kl: kl, ku: ku, ab: ab.baseAddress!, ldab: ld, ipiv: ipiv.baseAddress!)
            }
        }
    }

    /// Solves A·X = B in place for `count` right-hand sides stored column after
    /// column in `columns` (each of length `size`).
    public func solve(columns: inout [Double], count: Int) {
        precondition(columns.count == size * count, "right-hand sides have the wrong length")
        if count == 0 { return }
        factors.withUnsafeBufferPointer { ab in
            pivots.withUnsafeBufferPointer { ipiv in
                columns.withUnsafeMutableBufferPointer { b in
                    // Arguments were validated when factorising; dgbtrs cannot fail here.
                    try! LAPACK.dgbtrs(
                        n: size, kl: lower, ku: upper, nrhs: count, ab: ab.baseAddress!,
                        ldab: leadingDimension, ipiv: ipiv.baseAddress!, b: b.baseAddress!, ldb: size)
                }
            }
        }
    }

    /// Solves A·x = b in place.
    public func solve(_ b: inout [Double]) { solve(columns: &b, count: 1) }

    /// Returns x with A·x = b.
    public func solving(_ b: [Double]) -> [Double] {
        var x = b
        solve(&x)
        return x
    }
}
