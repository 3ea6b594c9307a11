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
///
/// **Order of the band.** Eliminating the border fills G = L⁻¹PB downwards from the first
/// row a border column reaches and W = C·U⁻¹ rightwards from the first column a border row
/// reaches, to the band's end. A terminal at the first face of a 1D stack couples to the
/// first cells, so G and W would fill completely (on the default device the border was
/// about half of the factorisation's and the solves' work). The solver therefore stores
/// the band in reverse order (band row and column i at n − 1 − i; the lower and upper
/// bandwidths swap) when the border's nonzeros lie nearer the band's start than its end,
/// judged from the values of the first matrix it factors (the patterns' borders may be
/// dense) and kept from then on; a solve reverses the right-hand side's band part on the
/// way in and out. Only the rounding of the result differs (partial pivoting in the
/// other order); a zero pivot is reported at the row of the matrix as given.
public final class BandLinearSolver: LinearSolver {
    public let pattern: SparsityPattern
    /// The pattern's bandwidths (of the band as given, before any reversal).
    let lower: Int
    let upper: Int
    let refinementSteps: Int
    /// The band LU in use (``BandLUKernel/native`` or ``BandLUKernel/lapack``).
    public let kernel: BandLUKernel
    /// Which order the band is stored in: ``BandOrder/automatic`` until the first
    /// factorisation chooses.
    public private(set) var order: BandOrder
    /// Offsets in band storage of the entries inside the band that the pattern leaves
    /// out: the only ones a recycled storage must clear (see ``BorderedBandMatrix/fillEquilibrated(from:bandHoles:clearingBorders:reversed:)``).
    var bandHoles: [Int] = []
    /// Whether the pattern leaves out border entries (then the borders are cleared whole).
    var bordersHaveHoles = false
    /// Where each of the pattern's values goes in the stored band and borders.
    var fillMap: BandFillMap?
    var factors: BorderedBandLU?
    var spare: BorderedBandMatrix?

    /// The order in which the band is stored and factorised.
    public enum BandOrder: Sendable, Equatable {
        /// As given.
        case natural
        /// Band row and column i at n − 1 − i.
        case reversed
        /// Reversed when the border's nonzeros in the first matrix factorised lie nearer
        /// the band's start than its end (``prefersReversal(_:)``).
        case automatic
    }

    public init(pattern: SparsityPattern, refinementSteps: Int = 0, kernel: BandLUKernel = .automatic, order: BandOrder = .automatic) {
        BLASThreads.configure()
        self.pattern = pattern
        (lower, upper) = pattern.bandwidths
        self.refinementSteps = refinementSteps
        let n = pattern.size - pattern.borderCount
        // (Symmetric in kl and ku, so it holds for either order.)
        self.kernel = kernel.resolved(lower: min(lower, n - 1), upper: min(upper, n - 1))
        self.order = pattern.borderCount == 0 && order == .automatic ? .natural : order
        if self.order != .automatic { prepare() }
    }

    /// The stored bandwidths and the holes, once the order is known.
    private func prepare() {
        let reversed = order == .reversed
        (bandHoles, bordersHaveHoles) = Self.holes(of: pattern, reversed: reversed)
        fillMap = BandFillMap(pattern: pattern, lower: reversed ? upper : lower, upper: reversed ? lower : upper, reversed: reversed)
    }

    /// Whether the border of `matrix` is cheaper to eliminate with the band reversed: its
    /// nonzeros (in border columns of band rows, and band columns of border rows) end
    /// nearer the band's start than they begin from its end. Without any: false.
    public static func prefersReversal(_ matrix: SparseMatrix) -> Bool {
        let p = matrix.pattern
        let n = p.size - p.borderCount
        var first = n
        var last = -1
        for i in 0..<p.size {
            for s in Int(p.rowStart[i])..<Int(p.rowStart[i + 1]) where matrix.values[s] != 0 {
                let j = Int(p.columns[s])
                let index = i < n ? (j >= n ? i : -1) : (j < n ? j : -1)
                guard index >= 0 else { continue }
                first = min(first, index)
                last = max(last, index)
            }
        }
        return last >= 0 && last + 1 < n - first
    }

    /// The entries inside the band that `pattern` leaves out, as offsets in the band
    /// storage of a ``BorderedBandMatrix`` of the pattern's bandwidths (swapped when
    /// `reversed`: band row and column i stored at n − 1 − i), and whether the pattern
    /// leaves out any border entry: what ``BorderedBandMatrix/fillEquilibrated(from:bandHoles:clearingBorders:reversed:)``
    /// must clear in a recycled storage.
    public static func holes(of pattern: SparsityPattern, reversed: Bool = false) -> (band: [Int], borders: Bool) {
        let n = pattern.size - pattern.borderCount
        let (lower, upper) = pattern.bandwidths
        let layout = reversed ? BandMatrix(size: n, lower: upper, upper: lower) : BandMatrix(size: n, lower: lower, upper: upper)
        func stored(_ i: Int) -> Int { reversed ? n - 1 - i : i }
        var holes: [Int] = []
        var borderEntries = 0
        for i in 0..<pattern.size {
            var present = Set<Int>()
            for s in Int(pattern.rowStart[i])..<Int(pattern.rowStart[i + 1]) {
                let j = Int(pattern.columns[s])
                if i < n && j < n { present.insert(j) } else { borderEntries += 1 }
            }
            guard i < n else { continue }
            for j in max(0, i - lower)...min(n - 1, i + upper) where !present.contains(j) {
                holes.append(layout.offset(stored(i), stored(j)))
            }
        }
        let k = pattern.borderCount
        return (holes, borderEntries < 2 * n * k + k * k)
    }

    public func factor(_ matrix: SparseMatrix) throws(LinearAlgebraError) {
        // O(1) when the matrix was made from this pattern (the arrays are shared).
        precondition(matrix.pattern == pattern, "matrix of another sparsity pattern")
        if order == .automatic {
            order = Self.prefersReversal(matrix) ? .reversed : .natural
            prepare()
        }
        let reversed = order == .reversed
        let n = pattern.size - pattern.borderCount
        var m = spare.take() ?? factors.take()?.recycle()
            ?? BorderedBandMatrix(
                bandSize: n, lower: reversed ? upper : lower, upper: reversed ? lower : upper, borderCount: pattern.borderCount)
        // LAPACK's blocked dgbtrf (wide bands) gets a fully cleared storage, as it always has.
        if kernel == .lapack { m.band.setZero() }
        // (A zero row is reported in the given order already; a zero pivot in the stored one.)
        let scale = try m.fillEquilibrated(
            from: matrix, map: fillMap!, bandHoles: bandHoles, clearingBorders: bordersHaveHoles, reversed: reversed)
        do {
            // `consume`: a copy of `m` would leave every array of it shared, and the
            // factorisation's first write to each would copy it.
            factors = try BorderedBandLU(factorizing: consume m, refinementSteps: refinementSteps, rowScale: scale, kernel: kernel)
        } catch .singular(let function, let pivot) where reversed && pivot < n {
            throw .singular(function: function, pivot: n - 1 - pivot)
        }
    }

    public func solve(_ b: inout [Double]) {
        guard let factors else { preconditionFailure("solve before factor") }
        guard order == .reversed else { return factors.solve(&b) }
        let n = pattern.size - pattern.borderCount
        b.withUnsafeMutableBufferPointer { $0[0..<n].reverse() }
        factors.solve(&b)
        b.withUnsafeMutableBufferPointer { $0[0..<n].reverse() }
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
    ///
    /// `reversed`: band row and column i of `m` go to row and column n − 1 − i of this
    /// matrix (whose bandwidths are then `m`'s swapped), border rows and columns stay; the
    /// scale is returned in this matrix's row order (see ``BandLinearSolver``).
    public mutating func fillEquilibrated(
        from m: SparseMatrix, bandHoles: [Int], clearingBorders: Bool, reversed: Bool = false
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
                // The band index as stored (reversed or not); ra = n − 1 for the reversal.
                let ra = reversed ? n &- 1 : 0
                let sign = reversed ? -1 : 1
                if i < n {
                    let ii = ra &+ sign &* i
                    scale[ii] = f
                    for s in slots {
                        let j = Int(columns[s])
                        if j < n {
                            let jj = ra &+ sign &* j
                            precondition(ii &- jj <= kl && jj &- ii <= ku, "entry (\(i), \(j)) outside the band")
                            // A(ii, jj) at (kv + ii − jj) + jj·ld.
                            ab[kv &+ ii &+ jj &* (ld &- 1)] = v[s] * f
                        } else {
                            right[ii &+ (j &- n) &* n] = v[s] * f
                        }
                    }
                } else {
                    scale[i] = f
                    let r = i - n
                    for s in slots {
                        let j = Int(columns[s])
                        if j < n { bottom[r * n + ra + sign * j] = v[s] * f } else { corner[r + (j - n) * k] = v[s] * f }
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
