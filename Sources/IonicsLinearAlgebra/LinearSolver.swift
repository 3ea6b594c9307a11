/// A direct solver for the linear systems of Newton's method: it analyses a
/// ``SparsityPattern`` once (ordering, symbolic work) when created, then factors
/// each new matrix of that pattern and solves with the last factorisation.
///
/// Implementations: ``BandLinearSolver`` (band LU with a dense border, for
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
public enum LinearSolverKind: String, Sendable, CaseIterable {
    /// Band LU with a dense border (1D).
    case band
    /// SuiteSparse KLU (any pattern).
    case klu
    /// SuiteSparse UMFPACK (any pattern; the 2D default: multifrontal, BLAS-3).
    case umfpack
    /// Chosen from the pattern, see ``resolved(for:)``.
    case automatic

    /// The concrete solver for `pattern`: ``automatic`` takes the band LU when the band
    /// is narrow (its cost n·k_l·(k_l + k_u) then beats a general sparse LU's
    /// bookkeeping; 1D stacks) and UMFPACK otherwise (2D meshes, whose fill-in favours
    /// its dense frontal matrices over KLU's column-at-a-time kernel: 1.4× faster at
    /// 9.8k unknowns and 2.3× at 46k on the 2D example's Jacobians).
    public func resolved(for pattern: SparsityPattern) -> LinearSolverKind {
        guard self == .automatic else { return self }
        let (lower, upper) = pattern.bandwidths
        return lower + upper <= 48 && pattern.borderCount <= 16 ? .band : .umfpack
    }

    /// A solver for `pattern`, its analysis done.
    public func make(pattern: SparsityPattern) throws(LinearAlgebraError) -> any LinearSolver {
        switch self {
        case .band: return BandLinearSolver(pattern: pattern)
        case .klu: return try KLUSolver(pattern: pattern)
        case .umfpack: return try UMFPACKSolver(pattern: pattern)
        case .automatic: return try resolved(for: pattern).make(pattern: pattern)
        }
    }
}

/// ``LinearSolver`` over a band LU (``BandLUKernel``: Swift loops for narrow bands,
/// LAPACKE dgbtrf/dgbtrs for wide ones) with the border eliminated through its Schur
/// complement (see ``BorderedBandMatrix``). Rows are equilibrated before factoring. The
/// band storage is reused from one factorisation to the next.
public final class BandLinearSolver: LinearSolver {
    public let pattern: SparsityPattern
    let lower: Int
    let upper: Int
    let refinementSteps: Int
    /// The band LU in use (``BandLUKernel/native`` or ``BandLUKernel/lapack``).
    public let kernel: BandLUKernel
    /// Offsets in band storage of the entries inside the band that the pattern leaves
    /// out: the only ones a recycled storage must clear (see ``BorderedBandMatrix/fillEquilibrated(from:bandHoles:clearingBorders:)``).
    let bandHoles: [Int]
    /// Whether the pattern leaves out border entries (then the borders are cleared whole).
    let bordersHaveHoles: Bool
    var factors: BorderedBandLU?
    var spare: BorderedBandMatrix?

    public init(pattern: SparsityPattern, refinementSteps: Int = 0, kernel: BandLUKernel = .automatic) {
        BLASThreads.configure()
        self.pattern = pattern
        (lower, upper) = pattern.bandwidths
        self.refinementSteps = refinementSteps
        let n = pattern.size - pattern.borderCount
        self.kernel = kernel.resolved(lower: min(lower, n - 1), upper: min(upper, n - 1))
        (bandHoles, bordersHaveHoles) = Self.holes(of: pattern)
    }

    /// The entries inside the band that `pattern` leaves out, as offsets in the band
    /// storage of a ``BorderedBandMatrix`` of the pattern's bandwidths, and whether the
    /// pattern leaves out any border entry: what ``BorderedBandMatrix/fillEquilibrated(from:bandHoles:clearingBorders:)``
    /// must clear in a recycled storage.
    public static func holes(of pattern: SparsityPattern) -> (band: [Int], borders: Bool) {
        let n = pattern.size - pattern.borderCount
        let (lower, upper) = pattern.bandwidths
        let layout = BandMatrix(size: n, lower: lower, upper: upper)
        var holes: [Int] = []
        var borderEntries = 0
        for i in 0..<pattern.size {
            var present = Set<Int>()
            for s in Int(pattern.rowStart[i])..<Int(pattern.rowStart[i + 1]) {
                let j = Int(pattern.columns[s])
                if i < n && j < n { present.insert(j) } else { borderEntries += 1 }
            }
            guard i < n else { continue }
            for j in max(0, i - layout.lower)...min(n - 1, i + layout.upper) where !present.contains(j) {
                holes.append(layout.offset(i, j))
            }
        }
        let k = pattern.borderCount
        return (holes, borderEntries < 2 * n * k + k * k)
    }

    public func factor(_ matrix: SparseMatrix) throws(LinearAlgebraError) {
        // O(1) when the matrix was made from this pattern (the arrays are shared).
        precondition(matrix.pattern == pattern, "matrix of another sparsity pattern")
        let n = pattern.size - pattern.borderCount
        var m = spare.take() ?? factors.take()?.recycle()
            ?? BorderedBandMatrix(bandSize: n, lower: lower, upper: upper, borderCount: pattern.borderCount)
        // LAPACK's blocked dgbtrf (wide bands) gets a fully cleared storage, as it always has.
        if kernel == .lapack { m.band.setZero() }
        let scale = try m.fillEquilibrated(from: matrix, bandHoles: bandHoles, clearingBorders: bordersHaveHoles)
        factors = try BorderedBandLU(factorizing: m, refinementSteps: refinementSteps, rowScale: scale, kernel: kernel)
    }

    public func solve(_ b: inout [Double]) {
        guard let factors else { preconditionFailure("solve before factor") }
        factors.solve(&b)
    }
}

extension BorderedBandMatrix {
    /// Copies a sparse matrix whose band part fits this matrix's bandwidths.
    public mutating func fill(from m: SparseMatrix) {
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

    /// Copies `m` with each row divided by its largest magnitude, in one pass over the
    /// CSR values: the row maxima are taken from the row's values (entries outside the
    /// pattern are zero), then the scaled values are scattered into band and borders.
    /// Only the band entries at `bandHoles` (offsets in band storage of entries inside the
    /// band but outside the pattern) are cleared, and the borders only when
    /// `clearingBorders`: the pattern's entries are all overwritten, and the fill-in rows
    /// above the band are cleared by the factorisation itself. This replaces clearing the
    /// whole storage, copying, and two more passes over the band to find and apply the
    /// row scaling.
    ///
    /// Returns the row scale 1 / max_j |m(i, j)| (the same numbers
    /// ``factorized(refinementSteps:equilibrate:kernel:)`` computes, so the scaled matrix
    /// is identical bit for bit). Throws ``LinearAlgebraError/singular(function:pivot:)``
    /// for a zero row. `m`'s band part must fit this matrix's bandwidths.
    public mutating func fillEquilibrated(
        from m: SparseMatrix, bandHoles: [Int], clearingBorders: Bool
    ) throws(LinearAlgebraError) -> [Double] {
        let n = band.size
        let k = borderCount
        precondition(m.size == n + k && m.values.count == m.pattern.nonzeroCount)
        let (kl, ku, ld) = (band.lower, band.upper, band.leadingDimension)
        let kv = kl + ku
        if clearingBorders {
            right.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            bottom.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            corner.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        band.storage.withUnsafeMutableBufferPointer { ab in
            bandHoles.withUnsafeBufferPointer { holes in
                for h in holes {
                    precondition(h >= 0 && h < ab.count)
                    ab[h] = 0
                }
            }
        }
        var scale = [Double](repeating: 0, count: n + k)
        var zeroRow: Int?
        m.values.withUnsafeBufferPointer { v in
        m.pattern.rowStart.withUnsafeBufferPointer { rowStart in
        m.pattern.columns.withUnsafeBufferPointer { columns in
        band.storage.withUnsafeMutableBufferPointer { ab in
        right.withUnsafeMutableBufferPointer { right in
        bottom.withUnsafeMutableBufferPointer { bottom in
        corner.withUnsafeMutableBufferPointer { corner in
        scale.withUnsafeMutableBufferPointer { scale in
            for i in 0..<(n + k) {
                let slots = Int(rowStart[i])..<Int(rowStart[i + 1])
                var largest = 0.0
                for s in slots {
                    // (Not Swift.max, whose NaN handling costs a blend per entry; a NaN
                    // entry stays NaN after scaling and Newton's residual check catches it.)
                    let m = abs(v[s])
                    largest = m > largest ? m : largest
                }
                guard largest > 0 else {
                    zeroRow = i
                    return
                }
                let f = 1 / largest
                scale[i] = f
                if i < n {
                    for s in slots {
                        let j = Int(columns[s])
                        if j < n {
                            precondition(i &- j <= kl && j &- i <= ku, "entry (\(i), \(j)) outside the band")
                            // A(i, j) at (kv + i − j) + j·ld.
                            ab[kv &+ i &+ j &* (ld &- 1)] = v[s] * f
                        } else {
                            right[i &+ (j &- n) &* n] = v[s] * f
                        }
                    }
                } else {
                    let r = i - n
                    for s in slots {
                        let j = Int(columns[s])
                        if j < n { bottom[r * n + j] = v[s] * f } else { corner[r + (j - n) * k] = v[s] * f }
                    }
                }
            }
        }
        }
        }
        }
        }
        }
        }
        }
        if let zeroRow { throw .singular(function: "row equilibration", pivot: zeroRow) }
        return scale
    }
}
