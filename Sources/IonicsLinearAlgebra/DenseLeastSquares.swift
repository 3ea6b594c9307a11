internal import CLAPACKE

// Small dense least squares and singular value decompositions over LAPACKE, for the
// parameter fits (a few parameters, a few hundred residuals). Two layers as in
// LAPACK.swift: one internal call per routine turning `info` into a typed error, and
// a public API over `DenseMatrix` that never shows a LAPACK type.

extension LAPACK {
    /// Minimum-norm least squares by the SVD with divide and conquer (dgelsd):
    /// on return `b` holds the solution in its first n entries, `s` the singular values.
    static func dgelsd(
        m: Int, n: Int, a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>, ldb: Int,
        s: UnsafeMutablePointer<Double>, rcond: Double
    ) throws(LinearAlgebraError) -> Int {
        var rank: ionics_lapack_int = 0
        let info = LAPACKE_dgelsd(
            ionics_lapack_col_major(), ionics_lapack_int(m), ionics_lapack_int(n), 1, a, ionics_lapack_int(max(1, m)),
            b, ionics_lapack_int(ldb), s, rcond, &rank)
        if info > 0 { throw .failed(function: "dgelsd", status: Int(info)) }
        try check(info, "dgelsd")
        return Int(rank)
    }

    /// Thin SVD A = U·diag(s)·Vᵀ (dgesvd, jobu = 'S', jobvt = 'A'); `a` is overwritten.
    static func dgesvd(
        m: Int, n: Int, a: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>,
        u: UnsafeMutablePointer<Double>, vt: UnsafeMutablePointer<Double>, superb: UnsafeMutablePointer<Double>
    ) throws(LinearAlgebraError) {
        let info = LAPACKE_dgesvd(
            ionics_lapack_col_major(), CChar(UInt8(ascii: "S")), CChar(UInt8(ascii: "A")), ionics_lapack_int(m),
            ionics_lapack_int(n), a, ionics_lapack_int(max(1, m)), s, u, ionics_lapack_int(max(1, m)), vt,
            ionics_lapack_int(max(1, n)), superb)
        if info > 0 { throw .failed(function: "dgesvd", status: Int(info)) }
        try check(info, "dgesvd")
    }
}

/// The singular value decomposition A = U·Σ·Vᵀ of a dense m × n matrix.
public struct SingularValueDecomposition: Sendable {
    /// Singular values, largest first (min(m, n) of them).
    public let values: [Double]
    /// Left singular vectors, m × min(m, n).
    public let u: DenseMatrix
    /// Right singular vectors as columns, n × n (column k belongs to `values[k]`; the
    /// columns past min(m, n) span the null space).
    public let v: DenseMatrix
}

/// Dense least squares and SVD (LAPACK dgelsd, dgesvd).
public enum DenseLeastSquares {
    /// Solves min ‖A·x − b‖₂ by the SVD (dgelsd): singular values below
    /// `rcond`·σ_max are treated as zero, which gives the minimum-norm solution of a
    /// rank-deficient problem instead of a blow-up.
    /// - Returns: the solution, the effective rank and the singular values of A.
    public static func solve(_ a: DenseMatrix, _ b: [Double], rcond: Double = 1e-12) throws(LinearAlgebraError)
        -> (solution: [Double], rank: Int, singularValues: [Double])
    {
        precondition(b.count == a.rows, "right-hand side has \(b.count) rows, matrix \(a.rows)")
        BLASThreads.configure()
        let m = a.rows, n = a.columns
        guard m > 0, n > 0 else { return ([Double](repeating: 0, count: n), 0, []) }
        var storage = a.storage
        let ldb = max(m, n)
        var rhs = b + [Double](repeating: 0, count: ldb - m)
        var s = [Double](repeating: 0, count: min(m, n))
        let rank = try storage.withUnsafeMutableBufferPointer { (pa) throws(LinearAlgebraError) -> Int in
            try rhs.withUnsafeMutableBufferPointer { (pb) throws(LinearAlgebraError) -> Int in
                try s.withUnsafeMutableBufferPointer { (ps) throws(LinearAlgebraError) -> Int in
                    try LAPACK.dgelsd(m: m, n: n, a: pa.baseAddress!, b: pb.baseAddress!, ldb: ldb, s: ps.baseAddress!, rcond: rcond)
                }
            }
        }
        return (Array(rhs.prefix(n)), rank, s)
    }

    /// The SVD of `a` (dgesvd): all right singular vectors, the thin left ones.
    public static func svd(_ a: DenseMatrix) throws(LinearAlgebraError) -> SingularValueDecomposition {
        BLASThreads.configure()
        let m = a.rows, n = a.columns
        let k = min(m, n)
        guard k > 0 else {
            return SingularValueDecomposition(values: [], u: DenseMatrix(rows: m, columns: 0), v: DenseMatrix(rows: n, columns: n))
        }
        var storage = a.storage
        var s = [Double](repeating: 0, count: k)
        var u = DenseMatrix(rows: m, columns: k)
        var vt = DenseMatrix(rows: n, columns: n)
        var superb = [Double](repeating: 0, count: max(1, k - 1))
        try storage.withUnsafeMutableBufferPointer { (pa) throws(LinearAlgebraError) in
            try s.withUnsafeMutableBufferPointer { (ps) throws(LinearAlgebraError) in
                try u.storage.withUnsafeMutableBufferPointer { (pu) throws(LinearAlgebraError) in
                    try vt.storage.withUnsafeMutableBufferPointer { (pv) throws(LinearAlgebraError) in
                        try superb.withUnsafeMutableBufferPointer { (pw) throws(LinearAlgebraError) in
                            try LAPACK.dgesvd(m: m, n: n, a: pa.baseAddress!, s: ps.baseAddress!, u: pu.baseAddress!,
                                              vt: pv.baseAddress!, superb: pw.baseAddress!)
                        }
                    }
                }
            }
        }
        var v = DenseMatrix(rows: n, columns: n)
        for i in 0..<n { for j in 0..<n { v[i, j] = vt[j, i] } }
        return SingularValueDecomposition(values: s, u: u, v: v)
    }
}
