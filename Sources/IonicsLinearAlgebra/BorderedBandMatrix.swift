/// A band matrix bordered by `borderCount` dense rows and columns:
///
///     M = | A  B |     A: n×n band, B: n×k, C: k×n, D: k×k
///         | C  D |
///
/// This is the Jacobian's shape when a few global unknowns (a current-controlled
/// terminal's potential, a species' electrochemical potential in an equilibrium
/// solve) couple to every cell. Unknowns 0..<n are the band part, n..<n+k the border.
/// With `borderCount == 0` it is a plain band matrix.
public struct BorderedBandMatrix: Sendable {
    public var band: BandMatrix
    public let borderCount: Int
    /// B, n×k column-major.
    public var right: [Double]
    /// C, k×n row-major (row r of C at `bottom[r·n ..< (r+1)·n]`).
    public var bottom: [Double]
    /// D, k×k column-major.
    public var corner: [Double]

    public var bandSize: Int { band.size }
    public var size: Int { band.size + borderCount }

    public init(bandSize: Int, lower: Int, upper: Int, borderCount: Int) {
        precondition(borderCount >= 0)
        band = BandMatrix(size: bandSize, lower: lower, upper: upper)
        self.borderCount = borderCount
        right = [Double](repeating: 0, count: bandSize * borderCount)
        bottom = [Double](repeating: 0, count: bandSize * borderCount)
        corner = [Double](repeating: 0, count: borderCount * borderCount)
    }

    /// Whether (row, column) can hold a nonzero (inside the band, or in a border).
    public func contains(row: Int, column: Int) -> Bool {
        let n = band.size
        guard row >= 0, column >= 0, row < size, column < size else { return false }
        if row >= n || column >= n { return true }
        return band.contains(row: row, column: column)
    }

    public subscript(row: Int, column: Int) -> Double {
        get {
            let n = band.size
            switch (row < n, column < n) {
            case (true, true): return band[row, column]
            case (true, false): return right[row + (column - n) * n]
            case (false, true): return bottom[(row - n) * n + column]
            case (false, false): return corner[(row - n) + (column - n) * borderCount]
            }
        }
        set {
            let n = band.size
            switch (row < n, column < n) {
            case (true, true): band[row, column] = newValue
            case (true, false): right[row + (column - n) * n] = newValue
            case (false, true): bottom[(row - n) * n + column] = newValue
            case (false, false): corner[(row - n) + (column - n) * borderCount] = newValue
            }
        }
    }

    /// M(row, column) += value, in global indices.
    @inlinable
    public mutating func add(_ value: Double, row: Int, column: Int) {
        let n = band.size
        if row < n && column < n {
            band.add(value, row: row, column: column)
        } else {
            self[row, column] += value
        }
    }

    public mutating func setZero() {
        band.setZero()
        for i in right.indices { right[i] = 0 }
        for i in bottom.indices { bottom[i] = 0 }
        for i in corner.indices { corner[i] = 0 }
    }

    /// y = M·x for x of length n + k.
    public func multiply(_ x: [Double]) -> [Double] {
        let n = band.size
        let k = borderCount
        precondition(x.count == n + k)
        var y = band.multiply(Array(x[0..<n])) + [Double](repeating: 0, count: k)
        for c in 0..<k where x[n + c] != 0 {
            for i in 0..<n { y[i] += right[i + c * n] * x[n + c] }
        }
        for r in 0..<k {
            var s = 0.0
            for j in 0..<n { s += bottom[r * n + j] * x[j] }
            for c in 0..<k { s += corner[r + c * k] * x[n + c] }
            y[n + r] += s
        }
        return y
    }

    public var infinityNorm: Double {
        dense().infinityNorm
    }

    public func dense() -> DenseMatrix {
        var d = DenseMatrix(rows: size, columns: size)
        let a = band.dense()
        for j in 0..<band.size { for i in 0..<band.size { d[i, j] = a[i, j] } }
        for i in 0..<size {
            for j in 0..<size where i >= band.size || j >= band.size { d[i, j] = self[i, j] }
        }
        return d
    }

    /// Factorises by block elimination (Govaerts 2000, "Numerical methods for
    /// bifurcations of dynamical equilibria", §3.6): LU of A, X = A⁻¹B, and the k×k
    /// Schur complement S = D − C·X. Throws if A or S is singular; the pivot of a
    /// singular S is reported as its global index n + r.
    ///
    /// With `equilibrate`, every row is first divided by its largest magnitude (row
    /// equilibration): partial pivoting then compares like with like, which matters
    /// when rows of very different scale meet (Poisson next to Nernst–Planck rows on
    /// cells a thousand times smaller than others). A zero row throws as singular.
    ///
    /// `consuming`: a caller that gives the matrix up (`matrix.take()!.factorized()`) lets
    /// the factorisation work in its storage without copying it.
    public consuming func factorized(refinementSteps: Int = 1, equilibrate: Bool = false) throws(LinearAlgebraError) -> BorderedBandLU {
        guard equilibrate else { return try BorderedBandLU(factorizing: self, refinementSteps: refinementSteps, rowScale: nil) }
        let maxima = rowMaxima()
        var scale = [Double](repeating: 1, count: size)
        for i in 0..<size {
            guard maxima[i] > 0 else { throw .singular(function: "row equilibration", pivot: i) }
            scale[i] = 1 / maxima[i]
        }
        // `self` is owned here: scaling it in place copies nothing.
        self.scaleRows(by: scale)
        return try BorderedBandLU(factorizing: self, refinementSteps: refinementSteps, rowScale: scale)
    }

    /// max_j |M(i, j)| for every row i.
    public func rowMaxima() -> [Double] {
        let n = band.size
        let k = borderCount
        var m = [Double](repeating: 0, count: n + k)
        let (kl, ku, ld) = (band.lower, band.upper, band.leadingDimension)
        band.storage.withUnsafeBufferPointer { ab in
            for j in 0..<n {
                for i in max(0, j - ku)...min(n - 1, j + kl) { m[i] = max(m[i], abs(ab[(kl + ku + i - j) + j * ld])) }
            }
        }
        for c in 0..<k { for i in 0..<n { m[i] = max(m[i], abs(right[i + c * n])) } }
        for r in 0..<k {
            for j in 0..<n { m[n + r] = max(m[n + r], abs(bottom[r * n + j])) }
            for c in 0..<k { m[n + r] = max(m[n + r], abs(corner[r + c * k])) }
        }
        return m
    }
}

/// Factors of a ``BorderedBandMatrix``; each solve applies block elimination and
/// then `refinementSteps` steps of iterative refinement against the original matrix,
/// which repairs the accuracy block elimination loses when A is ill conditioned.
public struct BorderedBandLU: Sendable {
    /// The factorised matrix's borders (and, for refinement, the whole matrix).
    let original: BorderedBandMatrix
    let bandLU: BandLU
    /// X = A⁻¹B, n×k column-major.
    let x: [Double]
    let schurLU: DenseLU?
    public let refinementSteps: Int
    /// Row scaling applied before factorising (right-hand sides are scaled alike).
    let rowScale: [Double]?

    public var size: Int { bandLU.size + original.borderCount }

    init(factorizing m: consuming BorderedBandMatrix, refinementSteps: Int, rowScale: [Double]?) throws(LinearAlgebraError) {
        self.refinementSteps = refinementSteps
        self.rowScale = rowScale
        // Refinement needs the band itself; otherwise only the borders are kept and the
        // band's storage moves into the LU factors without a copy.
        let keepBand = refinementSteps > 0 && m.borderCount > 0
        let band = keepBand ? m.band : m.takeBand()
        let n = band.size
        bandLU = try BandLU(factorizing: band)
        original = m
        let k = m.borderCount
        guard k > 0 else {
            x = []
            schurLU = nil
            return
        }
        var xs = m.right
        bandLU.solve(columns: &xs, count: k)
        var s = DenseMatrix(rows: k, columns: k)
        for r in 0..<k {
            for c in 0..<k {
                var dot = 0.0
                for j in 0..<n { dot += m.bottom[r * n + j] * xs[j + c * n] }
                s[r, c] = m.corner[r + c * k] - dot
            }
        }
        x = xs
        do {
            schurLU = try s.factorized()
        } catch .singular(_, let p) {
            throw .singular(function: "dgetrf (border Schur complement)", pivot: n + p)
        }
    }

    /// One block-elimination solve, no refinement.
    func eliminate(_ rhs: [Double]) -> [Double] {
        let n = bandLU.size
        let k = original.borderCount
        var z = Array(rhs[0..<n])
        bandLU.solve(&z)
        guard k > 0, let schurLU else { return z }
        var y = [Double](repeating: 0, count: k)
        for r in 0..<k {
            var dot = 0.0
            for j in 0..<n { dot += original.bottom[r * n + j] * z[j] }
            y[r] = rhs[n + r] - dot
        }
        schurLU.solve(columns: &y, count: 1)
        for c in 0..<k where y[c] != 0 {
            for i in 0..<n { z[i] -= x[i + c * n] * y[c] }
        }
        return z + y
    }

    /// Returns the solution of M·sol = rhs.
    public func solving(_ unscaled: [Double]) -> [Double] {
        precondition(unscaled.count == size, "right-hand side has the wrong length")
        var rhs = unscaled
        if let s = rowScale { for i in rhs.indices { rhs[i] *= s[i] } }
        var sol = eliminate(rhs)
        if original.borderCount > 0 {
            for _ in 0..<refinementSteps {
                let r = zip(rhs, original.multiply(sol)).map { $0 - $1 }
                let d = eliminate(r)
                for i in sol.indices { sol[i] += d[i] }
            }
        }
        return sol
    }

    /// Solves in place.
    public func solve(_ b: inout [Double]) { b = solving(b) }
}

extension BorderedBandMatrix {
    /// Moves the band out, leaving a 1×1 placeholder (the borders stay).
    mutating func takeBand() -> BandMatrix {
        var b = BandMatrix(size: 1, lower: 0, upper: 0)
        swap(&b, &band)
        return b
    }

    /// Multiplies row i by `factors[i]` (band part and borders).
    public mutating func scaleRows(by factors: [Double]) {
        let n = band.size
        let k = borderCount
        precondition(factors.count == n + k)
        let (kl, ku, ld) = (band.lower, band.upper, band.leadingDimension)
        band.storage.withUnsafeMutableBufferPointer { ab in
            for j in 0..<n {
                for i in max(0, j - ku)...min(n - 1, j + kl) { ab[(kl + ku + i - j) + j * ld] *= factors[i] }
            }
        }
        for c in 0..<k { for i in 0..<n { right[i + c * n] *= factors[i] } }
        for r in 0..<k {
            for j in 0..<n { bottom[r * n + j] *= factors[n + r] }
            for c in 0..<k { corner[r + c * k] *= factors[n + r] }
        }
    }

    /// Adds `values[i]` to the diagonal entry (i, i).
    public mutating func addToDiagonal(_ values: [Double]) {
        precondition(values.count == size)
        for i in 0..<size where values[i] != 0 { add(values[i], row: i, column: i) }
    }
}

extension BorderedBandMatrix {
    /// Sets every entry of row `i` to zero.
    public mutating func zeroRow(_ i: Int) {
        let n = band.size
        if i < n {
            for j in max(0, i - band.lower)...min(n - 1, i + band.upper) { band[i, j] = 0 }
            for c in 0..<borderCount { right[i + c * n] = 0 }
        } else {
            let r = i - n
            for j in 0..<n { bottom[r * n + j] = 0 }
            for c in 0..<borderCount { corner[r + c * borderCount] = 0 }
        }
    }
}

extension BorderedBandMatrix {
    /// Multiplies row i by `factors[i]` and adds `diagonal[i]` to (i, i), in one pass.
    public mutating func scaleRows(by factors: [Double], addingDiagonal diagonal: [Double]) {
        scaleRows(by: factors)
        let n = band.size
        let (kl, ku, ld) = (band.lower, band.upper, band.leadingDimension)
        band.storage.withUnsafeMutableBufferPointer { ab in
            for i in 0..<n where diagonal[i] != 0 { ab[(kl + ku) + i * ld] += diagonal[i] }
        }
        for r in 0..<borderCount where diagonal[n + r] != 0 { corner[r + r * borderCount] += diagonal[n + r] }
    }
}

extension BorderedBandLU {
    /// Gives the factor storage back as a matrix of the factorised shape (holding stale
    /// values: assemblies overwrite every entry), so the next assembly reuses it instead
    /// of allocating.
    public consuming func recycle() -> BorderedBandMatrix {
        var m = original
        m.band = bandLU.releaseStorage()
        return m
    }
}

extension BandLU {
    consuming func releaseStorage() -> BandMatrix {
        BandMatrix(reusing: factors, size: size, lower: lower, upper: upper)
    }
}

extension BandMatrix {
    /// A band matrix over existing storage of the right length (contents kept).
    init(reusing storage: [Double], size: Int, lower: Int, upper: Int) {
        self.size = size
        self.lower = lower
        self.upper = upper
        leadingDimension = 2 * lower + upper + 1
        precondition(storage.count == leadingDimension * size)
        self.storage = storage
    }
}
