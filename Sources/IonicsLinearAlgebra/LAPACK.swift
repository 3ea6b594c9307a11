internal import CLAPACKE

// One internal call per LAPACKE routine. Each turns LAPACK's `info` into a typed
// error; nothing outside this file sees a LAPACK type. The `_work` entry points are
// used: the plain ones scan every input for NaN first, which cost a tenth of a
// device run's time; NaNs are caught by the callers (Newton checks its residuals).

enum LAPACK {
    static func check(_ info: ionics_lapack_int, _ function: String) throws(LinearAlgebraError) {
        if info < 0 { throw .illegalArgument(function: function, argument: Int(-info)) }
        if info > 0 { throw .singular(function: function, pivot: Int(info) - 1) }
    }

    /// LU factorisation of a band matrix in LAPACK band storage (dgbtrf).
    static func dgbtrf(
        n: Int, kl: Int, ku: Int, ab: UnsafeMutablePointer<Double>, ldab: Int,
        ipiv: UnsafeMutablePointer<Int32>
    ) throws(LinearAlgebraError) {
        let info = LAPACKE_dgbtrf_work(
            ionics_lapack_col_major(), ionics_lapack_int(n), ionics_lapack_int(n),
            ionics_lapack_int(kl), ionics_lapack_int(ku), ab, ionics_lapack_int(ldab), ipiv)
        try check(info, "dgbtrf")
    }

    /// Solves with a dgbtrf factorisation for `nrhs` column-major right-hand sides (dgbtrs).
    static func dgbtrs(
        n: Int, kl: Int, ku: Int, nrhs: Int, ab: UnsafePointer<Double>, ldab: Int,
        ipiv: UnsafePointer<Int32>, b: UnsafeMutablePointer<Double>, ldb: Int
    ) throws(LinearAlgebraError) {
        let info = LAPACKE_dgbtrs_work(
            ionics_lapack_col_major(), CChar(UInt8(ascii: "N")), ionics_lapack_int(n),
            ionics_lapack_int(kl), ionics_lapack_int(ku), ionics_lapack_int(nrhs), ab,
            ionics_lapack_int(ldab), ipiv, b, ionics_lapack_int(ldb))
        try check(info, "dgbtrs")
    }

    /// LU factorisation of a general column-major matrix (dgetrf).
    static func dgetrf(
        m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, ipiv: UnsafeMutablePointer<Int32>
    ) throws(LinearAlgebraError) {
        let info = LAPACKE_dgetrf_work(
            ionics_lapack_col_major(), ionics_lapack_int(m), ionics_lapack_int(n), a,
            ionics_lapack_int(lda), ipiv)
        try check(info, "dgetrf")
    }

    /// Solves with a dgetrf factorisation (dgetrs).
    static func dgetrs(
        n: Int, nrhs: Int, a: UnsafePointer<Double>, lda: Int, ipiv: UnsafePointer<Int32>,
        b: UnsafeMutablePointer<Double>, ldb: Int
    ) throws(LinearAlgebraError) {
        let info = LAPACKE_dgetrs_work(
            ionics_lapack_col_major(), CChar(UInt8(ascii: "N")), ionics_lapack_int(n),
            ionics_lapack_int(nrhs), a, ionics_lapack_int(lda), ipiv, b, ionics_lapack_int(ldb))
        try check(info, "dgetrs")
    }
}
