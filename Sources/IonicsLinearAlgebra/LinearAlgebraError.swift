/// Errors of the linear-algebra layer.
public enum LinearAlgebraError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The factorisation met an exactly zero pivot at `pivot` (0-based row/column of
    /// the matrix that was factorised); `function` is the LAPACK routine.
    case singular(function: String, pivot: Int)
    /// LAPACK refused argument number `argument` (1-based, as LAPACK counts).
    case illegalArgument(function: String, argument: Int)
    /// A sparse solver failed for another reason (out of memory, invalid pattern);
    /// `status` is the library's status code.
    case failed(function: String, status: Int)

    public var description: String {
        switch self {
        case .singular(let f, let p): return "\(f): matrix is singular (zero pivot at row \(p))"
        case .illegalArgument(let f, let a): return "\(f): illegal value of argument \(a)"
        case .failed(let f, let s): return "\(f) failed with status \(s)"
        }
    }

    /// The zero pivot's row, if this is a singular-matrix error.
    public var pivot: Int? {
        if case .singular(_, let p) = self, p >= 0 { return p }
        return nil
    }
}
