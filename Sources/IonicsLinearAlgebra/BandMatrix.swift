/// A square band matrix in LAPACK band storage, ready for `dgbtrf` or ``NativeBandLU``.
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

    /// LU factorisation with partial pivoting; reusable for any number of right-hand
    /// sides. `kernel` chooses the implementation (by default from the bandwidths).
    /// Throws ``LinearAlgebraError/singular(function:pivot:)``.
    public consuming func factorized(kernel: BandLUKernel = .automatic) throws(LinearAlgebraError) -> BandLU {
        try BandLU(factorizing: self, kernel: kernel)
    }
}

/// Which implementation factorises a ``BandMatrix``. Both use LAPACK band storage and
/// the same pivoting, so their results agree to round-off.
public enum BandLUKernel: String, Sendable, Hashable, CaseIterable {
    /// Swift loops (``NativeBandLU``, dgbtf2's algorithm): no BLAS call per column.
    case native
    /// LAPACKE dgbtrf/dgbtrs.
    case lapack
    /// ``native`` up to ``nativeLimit``, ``lapack`` above.
    case automatic

    /// Largest kl + ku for which ``automatic`` takes ``native``. Measured with
    /// `ionics-bench band-lu` (docs/performance.md, "Band LU"): the Swift kernel is
    /// 1.5–2× faster at 1D bandwidths (kl = ku ≤ 8), level with LAPACKE at kl = ku =
    /// 48–64, and behind from 72 on, where reference LAPACK's dgbtrf blocks (ku > 64).
    public static let nativeLimit = 128

    /// The concrete kernel for a band of `lower` sub- and `upper` super-diagonals.
    public func resolved(lower: Int, upper: Int) -> BandLUKernel {
        guard self == .automatic else { return self }
        return lower + upper <= Self.nativeLimit ? .native : .lapack
    }
}

/// The LU factors of a ``BandMatrix`` (dgbtrf's layout and pivots, computed by the
/// ``BandLUKernel`` chosen), reusable for several right-hand sides.
public struct BandLU: Sendable {
    public let size: Int
    let lower: Int
    let upper: Int
    let leadingDimension: Int
    /// ``BandLUKernel/native`` or ``BandLUKernel/lapack``.
    public let kernel: BandLUKernel
    var factors: [Double]
    /// 1-based, as LAPACK returns them: row j was swapped with row pivots[j] − 1.
    var pivots: [Int32]
    /// 1 / U(j, j), for the Swift back substitution.
    var reciprocals: [Double]

    init(factorizing matrix: consuming BandMatrix, kernel: BandLUKernel = .automatic) throws(LinearAlgebraError) {
        var (right, bottom, corner): ([Double], [Double], [Double]) = ([], [], [])
        var starts: [Int] = []
        try self.init(
            factorizing: matrix, kernel: kernel, borderCount: 0, right: &right, bottom: &bottom, corner: &corner,
            starts: &starts)
    }

    /// Factorises the band of a bordered matrix and eliminates its border (B in `right`,
    /// C in `bottom`, D in `corner`, replaced by G = L⁻¹PB, W = C·U⁻¹ and S = D − W·G;
    /// `starts` receives ``NativeBandLU/Border/starts``; see ``NativeBandLU``): fused into
    /// the sweep by the Swift kernel, after dgbtrf by the same Swift steps with LAPACK.
    init(
        factorizing matrix: consuming BandMatrix, kernel: BandLUKernel, borderCount k: Int,
        right: inout [Double], bottom: inout [Double], corner: inout [Double], starts: inout [Int]
    ) throws(LinearAlgebraError) {
        size = matrix.size
        lower = matrix.lower
        upper = matrix.upper
        leadingDimension = matrix.leadingDimension
        self.kernel = kernel.resolved(lower: lower, upper: upper)
        // Move the storage out (a copy of the array reference would make the first write
        // copy all of it).
        factors = []
        swap(&factors, &matrix.storage)
        pivots = [Int32](repeating: 0, count: size)
        reciprocals = [Double](repeating: 0, count: size)
        let native = self.kernel == .native
        let n = size
        starts = [Int](repeating: n, count: 2 * k)
        try withFactors { (f) throws(LinearAlgebraError) in
            if native {
                guard k > 0 else { return try NativeBandLU.factor(f, border: nil) }
                try NativeBandLU.Border.with(count: k, n: n, right: &right, bottom: &bottom, corner: &corner, starts: &starts) {
                    (border) throws(LinearAlgebraError) in
                    border.findStarts(kl: f.kl, n: n)
                    try NativeBandLU.factor(f, border: border)
                }
            } else {
                try LAPACK.dgbtrf(n: n, kl: f.kl, ku: f.ku, ab: f.ab, ldab: f.ld, ipiv: f.ipiv)
                for j in 0..<n { f.reciprocals[j] = 1 / f.ab[f.kv + j * f.ld] }
                guard k > 0 else { return }
                try NativeBandLU.Border.with(count: k, n: n, right: &right, bottom: &bottom, corner: &corner, starts: &starts) {
                    border in
                    border.findStarts(kl: f.kl, n: n)
                    NativeBandLU.eliminateBorder(f, border)
                }
            }
        }
    }

    /// Runs `body` with the factors as the kernels' pointers.
    mutating func withFactors<R>(
        _ body: (NativeBandLU.Factors) throws(LinearAlgebraError) -> R
    ) throws(LinearAlgebraError) -> R {
        let (n, kl, ku, ld) = (size, lower, upper, leadingDimension)
        return try factors.withUnsafeMutableBufferPointer { (ab) throws(LinearAlgebraError) in
            try pivots.withUnsafeMutableBufferPointer { (ipiv) throws(LinearAlgebraError) in
                try reciprocals.withUnsafeMutableBufferPointer { (r) throws(LinearAlgebraError) in
                    try body(NativeBandLU.Factors(
                        n: n, kl: kl, ku: ku, ab: ab.baseAddress!, ld: ld, ipiv: ipiv.baseAddress!, reciprocals: r.baseAddress!))
                }
            }
        }
    }

    /// Runs `body` with the factors as the kernels' pointers, for the solves, which only
    /// read through them.
    func readingFactors<R>(_ body: (NativeBandLU.Factors) -> R) -> R {
        factors.withUnsafeBufferPointer { ab in
            pivots.withUnsafeBufferPointer { ipiv in
                reciprocals.withUnsafeBufferPointer { r in
                    body(NativeBandLU.Factors(
                        n: size, kl: lower, ku: upper, ab: UnsafeMutablePointer(mutating: ab.baseAddress!), ld: leadingDimension,
                        ipiv: UnsafeMutablePointer(mutating: ipiv.baseAddress!),
                        reciprocals: UnsafeMutablePointer(mutating: r.baseAddress!)))
                }
            }
        }
    }

    /// The row interchanges of partial pivoting: at step j, row j was swapped with row
    /// `rowInterchanges[j]` (0-based; j itself when no swap was needed).
    public var rowInterchanges: [Int] { pivots.map { Int($0) - 1 } }

    /// Solves A·X = B in place for `count` right-hand sides stored column after
    /// column in `columns` (each of length `size`).
    public func solve(columns: inout [Double], count: Int) {
        precondition(columns.count == size * count, "right-hand sides have the wrong length")
        if count == 0 { return }
        columns.withUnsafeMutableBufferPointer { b in solve(b.baseAddress!, count: count) }
    }

    /// Solves in place for `count` right-hand sides stored column after column from
    /// `b` on (each of length `size`).
    func solve(_ b: UnsafeMutablePointer<Double>, count: Int) {
        if kernel == .native {
            readingFactors { f in NativeBandLU.solve(f, b: b, ldb: size, count: count) }
            return
        }
        factors.withUnsafeBufferPointer { ab in
            pivots.withUnsafeBufferPointer { ipiv in
                // Arguments were validated when factorising; dgbtrs cannot fail here.
                try! LAPACK.dgbtrs(
                    n: size, kl: lower, ku: upper, nrhs: count, ab: ab.baseAddress!,
                    ldab: leadingDimension, ipiv: ipiv.baseAddress!, b: b, ldb: size)
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

extension NativeBandLU.Border {
    /// Runs `body` with pointers to a border of `count` unknowns around a band of size n.
    static func with<R>(
        count: Int, n: Int, right: inout [Double], bottom: inout [Double], corner: inout [Double], starts: inout [Int],
        _ body: (Self) throws(LinearAlgebraError) -> R
    ) throws(LinearAlgebraError) -> R {
        precondition(
            count > 0 && right.count == n * count && bottom.count == n * count && corner.count == count * count
                && starts.count == 2 * count)
        return try right.withUnsafeMutableBufferPointer { (r) throws(LinearAlgebraError) in
            try bottom.withUnsafeMutableBufferPointer { (b) throws(LinearAlgebraError) in
                try corner.withUnsafeMutableBufferPointer { (c) throws(LinearAlgebraError) in
                    try starts.withUnsafeMutableBufferPointer { (s) throws(LinearAlgebraError) in
                        try body(Self(
                            count: count, right: r.baseAddress!, bottom: b.baseAddress!, corner: c.baseAddress!,
                            starts: s.baseAddress!))
                    }
                }
            }
        }
    }
}
