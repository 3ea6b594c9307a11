/// A direct solver for the linear systems of Newton's method: it analyses a
/// ``SparsityPattern`` once (ordering, symbolic work) when created, then factors
/// each new matrix of that pattern and solves with the last factorisation.
///
/// Implementations: ``BandLinearSolver`` (LAPACKE band LU with a dense border, for
/// 1D stacks whose unknowns are ordered cell after cell) and ``KLUSolver``
/// (SuiteSparse KLU, for 2D meshes and any pattern). Newton and the time integrator
/// only see this protocol, chosen by ``LinearSolverKind``.
public protocol LinearSolver: AnyObject {
    var pattern: SparsityPattern { get }
    /// Factors `matrix` (whose pattern must be this solver's), replacing the last
    /// factorisation. Throws ``LinearAlgebraError/singular(function:pivot:)`` with the
    /// row of a zero pivot.
    func factor(_ matrix: SparseMatrix) throws(LinearAlgebraError)
    /// Solves M·x = b in place with the last factorisation.
    func solve(_ b: inout [Double])
}

/// Which ``LinearSolver`` to use.
public enum LinearSolverKind: String, Sendable, CaseIterable, Codable {
    /// LAPACKE band LU with a dense border (1D).
    case band
    /// SuiteSparse KLU (any pattern; the 2D default).
    case klu
    /// Chosen from the pattern, see ``resolved(for:)``.
    case automatic

    /// The concrete solver for `pattern`: ``automatic`` takes the band LU when the band
    /// is narrow (its cost n·k_l·(k_l + k_u) then beats a general sparse LU's
    /// bookkeeping; 1D stacks) and KLU otherwise (2D meshes).
    public func resolved(for pattern: SparsityPattern) -> LinearSolverKind {
        guard self == .automatic else { return self }
        let (lower, upper) = pattern.bandwidths
        return lower + upper <= 48 && pattern.borderCount <= 16 ? .band : .klu
    }

    /// A solver for `pattern`, its analysis done.
    public func make(pattern: SparsityPattern) throws(LinearAlgebraError) -> any LinearSolver {
        switch self {
        case .band: return BandLinearSolver(pattern: pattern)
        case .klu: return try KLUSolver(pattern: pattern)
        case .automatic: return try resolved(for: pattern).make(pattern: pattern)
        }
    }
}

/// ``LinearSolver`` over LAPACKE's band LU (`dgbtrf`/`dgbtrs`) with the border
/// eliminated through its Schur complement (see ``BorderedBandMatrix``). Rows are
/// equilibrated before factoring. The band storage is reused from one factorisation
/// to the next.
public final class BandLinearSolver: LinearSolver {
    public let pattern: SparsityPattern
    let lower: Int
    let upper: Int
    let refinementSteps: Int
    var factors: BorderedBandLU?
    var spare: BorderedBandMatrix?

    public init(pattern: SparsityPattern, refinementSteps: Int = 0) {
        self.pattern = pattern
        (lower, upper) = pattern.bandwidths
        self.refinementSteps = refinementSteps
    }

    public func factor(_ matrix: SparseMatrix) throws(LinearAlgebraError) {
        precondition(matrix.pattern.size == pattern.size && matrix.values.count == pattern.nonzeroCount)
        let n = pattern.size - pattern.borderCount
        var m = spare.take() ?? factors.take()?.recycle()
            ?? BorderedBandMatrix(bandSize: n, lower: lower, upper: upper, borderCount: pattern.borderCount)
        m.setZero()
        m.fill(from: matrix)
        factors = try m.factorized(refinementSteps: refinementSteps, equilibrate: true)
    }

    public func solve(_ b: inout [Double]) {
        guard let factors else { preconditionFailure("solve before factor") }
        b = factors.solving(b)
    }
}

extension BorderedBandMatrix {
    /// Copies a sparse matrix whose band part fits this matrix's bandwidths.
    mutating func fill(from m: SparseMatrix) {
        let n = band.size
        let k = borderCount
        let (kl, ku, ld) = (band.lower, band.upper, band.leadingDimension)
        let p = m.pattern
        m.values.withUnsafeBufferPointer { v in
            band.storage.withUnsafeMutableBufferPointer { ab in
                for i in 0..<n {
                    for s in Int(p.rowStart[i])..<Int(p.rowStart[i + 1]) {
                        let j = Int(p.columns[s])
                        if j < n {
                            precondition(i - j <= kl && j - i <= ku, "entry (\(i), \(j)) outside the band")
                            ab[(kl + ku + i - j) + j * ld] = v[s]
                        } else {
                            right[i + (j - n) * n] = v[s]
                        }
                    }
                }
            }
            for r in 0..<k {
                let i = n + r
                for s in Int(p.rowStart[i])..<Int(p.rowStart[i + 1]) {
                    let j = Int(p.columns[s])
                    if j < n { bottom[r * n + j] = v[s] } else { corner[r + (j - n) * k] = v[s] }
                }
            }
        }
    }
}
