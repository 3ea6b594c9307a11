internal import CSuiteSparse

/// ``LinearSolver`` over SuiteSparse's KLU (T. A. Davis and E. Palamadai Natarajan,
/// "Algorithm 907: KLU, a direct sparse solver for circuit simulation problems",
/// ACM TOMS 37, 36 (2010)): block-triangular form, AMD ordering and partial pivoting,
/// with KLU's own scaling (of the rows of the factored Mᵀ, i.e. the columns of M).
///
/// The pattern is analysed once. Our matrices are stored by rows (CSR), which is the
/// compressed-column form of the transpose: KLU factors Mᵀ and `klu_tsolve` solves
/// with its transpose, M·x = b. Every factorisation pivots afresh (`klu_factor`):
/// Newton's Jacobians change by orders of magnitude during a pulse, and a refactor
/// with stale pivots can lose accuracy silently.
public final class KLUSolver: LinearSolver {
    public let pattern: SparsityPattern
    private var common = klu_common()
    private var symbolic: UnsafeMutablePointer<klu_symbolic>?
    private var numeric: UnsafeMutablePointer<klu_numeric>?
    /// Entries of the last factors L and U (the fill-in a pattern and its pivots cause).
    public private(set) var factorEntries = 0

    /// The fill-reducing ordering of the analysis.
    public enum Ordering: String, Sendable, CaseIterable {
        /// KLU's own: block-triangular form, then AMD on each block.
        case amd
        /// ``NestedDissection`` of the pattern (no block-triangular form).
        case nestedDissection
    }

    public init(pattern: SparsityPattern, ordering: Ordering = .amd) throws(LinearAlgebraError) {
        self.pattern = pattern
        klu_defaults(&common)
        let n = Int32(pattern.size)
        var start = pattern.rowStart
        var cols = pattern.columns
        switch ordering {
        case .amd:
            symbolic = start.withUnsafeMutableBufferPointer { s in
                cols.withUnsafeMutableBufferPointer { c in klu_analyze(n, s.baseAddress, c.baseAddress, &common) }
            }
        case .nestedDissection:
            common.btf = 0
            var p = NestedDissection.order(pattern)
            var q = p
            symbolic = start.withUnsafeMutableBufferPointer { s in
                cols.withUnsafeMutableBufferPointer { c in
                    p.withUnsafeMutableBufferPointer { pp in
                        q.withUnsafeMutableBufferPointer { qq in
                            klu_analyze_given(n, s.baseAddress, c.baseAddress, pp.baseAddress, qq.baseAddress, &common)
                        }
                    }
                }
            }
        }
        if symbolic == nil { throw .failed(function: "klu_analyze", status: Int(common.status)) }
    }

    deinit {
        if numeric != nil { klu_free_numeric(&numeric, &common) }
        if symbolic != nil { klu_free_symbolic(&symbolic, &common) }
    }

    public func factor(_ matrix: SparseMatrix) throws(LinearAlgebraError) {
        precondition(matrix.pattern == pattern, "a matrix of another sparsity pattern")
        if numeric != nil { klu_free_numeric(&numeric, &common) }
        // KLU only reads the arrays: pass them without copying.
        numeric = pattern.rowStart.withUnsafeBufferPointer { s in
            pattern.columns.withUnsafeBufferPointer { c in
                matrix.values.withUnsafeBufferPointer { v in
                    klu_factor(
                        UnsafeMutablePointer(mutating: s.baseAddress), UnsafeMutablePointer(mutating: c.baseAddress),
                        UnsafeMutablePointer(mutating: v.baseAddress), symbolic, &common)
                }
            }
        }
        if numeric == nil {
            if common.status == KLU_SINGULAR {
                // singular_col is a column of the factored Mᵀ, i.e. a row of M.
                throw .singular(function: "klu_factor", pivot: Int(max(0, common.singular_col)))
            }
            throw .failed(function: "klu_factor", status: Int(common.status))
        }
        factorEntries = Int(numeric!.pointee.lnz + numeric!.pointee.unz)
    }

    public func solve(_ b: inout [Double]) {
        precondition(numeric != nil, "solve before factor")
        precondition(b.count == pattern.size)
        let n = Int32(pattern.size)
        _ = b.withUnsafeMutableBufferPointer { klu_tsolve(symbolic, numeric, n, 1, $0.baseAddress, &common) }
    }
}
