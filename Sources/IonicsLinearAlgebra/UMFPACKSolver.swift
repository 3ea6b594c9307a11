internal import CSuiteSparse

/// ``LinearSolver`` over SuiteSparse's UMFPACK (T. A. Davis, "Algorithm 832: UMFPACK
/// V4.3 — an unsymmetric-pattern multifrontal method", ACM TOMS 30, 196 (2004)):
/// column ordering (AMD/COLAMD) once per pattern, then a multifrontal LU whose dense
/// frontal matrices go through BLAS-3 — the solver for 2D meshes, whose factors fill
/// in far more than a 1D stack's (KLU's left-looking kernel does the same work a
/// column at a time).
///
/// As for ``KLUSolver`` our row-stored matrices are the compressed-column form of the
/// transpose: UMFPACK factors Mᵀ and solves with `UMFPACK_At`, M·x = b. Every numeric
/// factorisation pivots afresh.
public final class UMFPACKSolver: LinearSolver {
    public let pattern: SparsityPattern
    private var control = [Double](repeating: 0, count: Int(UMFPACK_CONTROL))
    private var info = [Double](repeating: 0, count: Int(UMFPACK_INFO))
    private var symbolic: UnsafeMutableRawPointer?
    private var numeric: UnsafeMutableRawPointer?
    private var solution: [Double]
    /// Entries of the last factors L and U.
    public private(set) var factorEntries = 0

    public init(pattern: SparsityPattern) throws(LinearAlgebraError) {
        self.pattern = pattern
        BLASThreads.configure()
        solution = [Double](repeating: 0, count: pattern.size)
        umfpack_di_defaults(&control)
        // No iterative refinement inside the solve (it would need the matrix again);
        // Newton corrects the residual itself.
        control[Int(UMFPACK_IRSTEP)] = 0
        let n = Int32(pattern.size)
        // The symbolic analysis needs only the pattern; values of 1 keep it from
        // reading uninitialised memory.
        let ones = [Double](repeating: 1, count: pattern.columns.count)
        var symbolicOut: UnsafeMutableRawPointer?
        let status = pattern.rowStart.withUnsafeBufferPointer { s in
            pattern.columns.withUnsafeBufferPointer { c in
                umfpack_di_symbolic(n, n, s.baseAddress, c.baseAddress, ones, &symbolicOut, control, &info)
            }
        }
        symbolic = symbolicOut
        if status != UMFPACK_OK || symbolic == nil { throw .failed(function: "umfpack_di_symbolic", status: Int(status)) }
    }

    deinit {
        if numeric != nil { umfpack_di_free_numeric(&numeric) }
        if symbolic != nil { umfpack_di_free_symbolic(&symbolic) }
    }

    public func factor(_ matrix: SparseMatrix) throws(LinearAlgebraError) {
        precondition(matrix.pattern == pattern, "a matrix of another sparsity pattern")
        if numeric != nil { umfpack_di_free_numeric(&numeric) }
        var numericOut: UnsafeMutableRawPointer?
        let status = pattern.rowStart.withUnsafeBufferPointer { s in
            pattern.columns.withUnsafeBufferPointer { c in
                matrix.values.withUnsafeBufferPointer { v in
                    umfpack_di_numeric(s.baseAddress, c.baseAddress, v.baseAddress, symbolic, &numericOut, control, &info)
                }
            }
        }
        numeric = numericOut
        if status == UMFPACK_WARNING_singular_matrix {
            // UMFPACK does not say which row failed; KLU's pivoting names it (in the
            // same row numbering), so that Newton's message can point at a cell.
            var pivot = -1
            do {
                try KLUSolver(pattern: pattern).factor(matrix)
            } catch {
                if case .singular(_, let row) = error { pivot = row }
            }
            throw .singular(function: "umfpack_di_numeric", pivot: pivot)
        }
        if status != UMFPACK_OK || numeric == nil {
            throw .failed(function: "umfpack_di_numeric", status: Int(status))
        }
        factorEntries = Int(info[Int(UMFPACK_LNZ)] + info[Int(UMFPACK_UNZ)])
    }

    public func solve(_ b: inout [Double]) {
        precondition(numeric != nil, "solve before factor")
        precondition(b.count == pattern.size)
        let n = pattern.size
        let status = pattern.rowStart.withUnsafeBufferPointer { s in
            pattern.columns.withUnsafeBufferPointer { c in
                solution.withUnsafeMutableBufferPointer { x in
                    umfpack_di_solve(Int32(UMFPACK_At), s.baseAddress, c.baseAddress, nil, x.baseAddress, b, numeric, control, &info)
                }
            }
        }
        // A failed solve (out of memory) returns NaN, which Newton reports as a failed
        // step rather than a wrong solution.
        for i in 0..<n { b[i] = status == UMFPACK_OK ? solution[i] : .nan }
    }
}
