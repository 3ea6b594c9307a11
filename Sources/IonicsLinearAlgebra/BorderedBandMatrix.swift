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
    /// bifurcations of dynamical equilibria", §3.6): LU of A and the k×k Schur complement
    /// S = D − C·A⁻¹B, formed as D − (C·U⁻¹)(L⁻¹PB) in the band's sweep (see
    /// ``BorderedBandLU``). Throws if A or S is singular; the pivot of a singular S is
    /// reported as its global index n + r.
    ///
    /// With `equilibrate`, every row is first divided by its largest magnitude (row
    /// equilibration): partial pivoting then compares like with like, which matters
    /// when rows of very different scale meet (Poisson next to Nernst–Planck rows on
    /// cells a thousand times smaller than others). A zero row throws as singular.
    ///
    /// `consuming`: a caller that gives the matrix up (`matrix.take()!.factorized()`) lets
    /// the factorisation work in its storage without copying it.
    public consuming func factorized(
        refinementSteps: Int = 1, equilibrate: Bool = false, kernel: BandLUKernel = .automatic
    ) throws(LinearAlgebraError) -> BorderedBandLU {
        guard equilibrate else {
            return try BorderedBandLU(factorizing: self, refinementSteps: refinementSteps, rowScale: nil, kernel: kernel)
        }
        let maxima = rowMaxima()
        var scale = [Double](repeating: 1, count: size)
        for i in 0..<size {
            guard maxima[i] > 0 else { throw .singular(function: "row equilibration", pivot: i) }
            scale[i] = 1 / maxima[i]
        }
        // `self` is owned here: scaling it in place copies nothing.
        self.scaleRows(by: scale)
        return try BorderedBandLU(factorizing: self, refinementSteps: refinementSteps, rowScale: scale, kernel: kernel)
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

/// Factors of a ``BorderedBandMatrix``: the band's LU with the border eliminated,
///
///     M = | A  B | = | PᵀL  0 | | U  G |    G = L⁻¹PB,  W = C·U⁻¹,  S = D − W·G
///         | C  D |   | W    I | | 0  S |
///
/// (built in the band's factorisation sweep, see ``NativeBandLU``), and the LU of the
/// k×k Schur complement S. A solve is one sweep down (L, with W) and one up (U, with G)
/// around a k×k solve with S, then `refinementSteps` steps of iterative refinement
/// against the original matrix, which repair the accuracy block elimination loses when
/// A is ill conditioned.
public struct BorderedBandLU: Sendable {
    let bandLU: BandLU
    public let borderCount: Int
    /// G = L⁻¹PB, n×k column-major (the right border's storage).
    let lowerRight: [Double]
    /// W = C·U⁻¹, k×n row-major (the bottom border's storage).
    let upperBottom: [Double]
    /// Where the columns of G and rows of W start to be nonzero (``NativeBandLU/Border/starts``).
    let borderStarts: [Int]
    let schurLU: DenseLU?
    /// The matrix as factorised, kept only for iterative refinement.
    let original: BorderedBandMatrix?
    public let refinementSteps: Int
    /// Row scaling applied before factorising (right-hand sides are scaled alike).
    let rowScale: [Double]?

    public var size: Int { bandLU.size + borderCount }

    init(
        factorizing m: consuming BorderedBandMatrix, refinementSteps: Int, rowScale: [Double]?, kernel: BandLUKernel
    ) throws(LinearAlgebraError) {
        let n = m.band.size
        let k = m.borderCount
        self.refinementSteps = refinementSteps
        self.rowScale = rowScale
        borderCount = k
        // Refinement needs the matrix itself: the factorisation's writes then copy the
        // storage they share with it. Otherwise band and borders move into the factors.
        original = refinementSteps > 0 && k > 0 ? copy m : nil
        var right: [Double] = []
        var bottom: [Double] = []
        swap(&right, &m.right)
        swap(&bottom, &m.bottom)
        var schur = m.corner
        var starts: [Int] = []
        bandLU = try BandLU(
            factorizing: m.takeBand(), kernel: kernel, borderCount: k, right: &right, bottom: &bottom, corner: &schur,
            starts: &starts)
        lowerRight = right
        upperBottom = bottom
        borderStarts = starts
        guard k > 0 else {
            schurLU = nil
            return
        }
        var s = DenseMatrix(rows: k, columns: k)
        s.storage = schur
        do {
            schurLU = try s.factorized()
        } catch .singular(_, let p) {
            throw .singular(function: "dgetrf (border Schur complement)", pivot: n + p)
        }
    }

    /// One block-elimination solve in place (no refinement) of the n + k values at `b`:
    /// z = L⁻¹P·b₁ and b₂ − W·z on the way down, y = S⁻¹(b₂ − W·z), then U·x = z − G·y
    /// on the way up.
    func eliminate(_ b: UnsafeMutablePointer<Double>) {
        let n = bandLU.size
        let k = borderCount
        guard k > 0, let schurLU else {
            bandLU.solve(b, count: 1)
            return
        }
        lowerRight.withUnsafeBufferPointer { g in
            upperBottom.withUnsafeBufferPointer { w in
                borderStarts.withUnsafeBufferPointer { starts in
                    // The sweeps only read G, W and the starts; S is not used by them (its LU is schurLU).
                    let border = NativeBandLU.Border(
                        count: k, right: UnsafeMutablePointer(mutating: g.baseAddress!),
                        bottom: UnsafeMutablePointer(mutating: w.baseAddress!), corner: b + n,
                        starts: UnsafeMutablePointer(mutating: starts.baseAddress!))
                    bandLU.readingFactors { f in
                        NativeBandLU.forward(f, b, border: border)
                        schurLU.solve(b + n, count: 1)
                        NativeBandLU.backward(f, b, border: border)
                    }
                }
            }
        }
    }

    /// Returns the solution of M·sol = rhs.
    public func solving(_ unscaled: [Double]) -> [Double] {
        var sol = unscaled
        solve(&sol)
        return sol
    }

    /// Solves M·sol = b in place.
    public func solve(_ b: inout [Double]) {
        precondition(b.count == size, "right-hand side has the wrong length")
        if let s = rowScale {
            s.withUnsafeBufferPointer { s in
                b.withUnsafeMutableBufferPointer { b in for i in 0..<b.count { b[i] *= s[i] } }
            }
        }
        guard let original, refinementSteps > 0 else {
            b.withUnsafeMutableBufferPointer { eliminate($0.baseAddress!) }
            return
        }
        let rhs = b
        b.withUnsafeMutableBufferPointer { eliminate($0.baseAddress!) }
        for _ in 0..<refinementSteps {
            var r = zip(rhs, original.multiply(b)).map { $0 - $1 }
            r.withUnsafeMutableBufferPointer { eliminate($0.baseAddress!) }
            for i in b.indices { b[i] += r[i] }
        }
    }
}

extension BorderedBandMatrix {
    /// A bordered matrix over existing storage (contents kept).
    init(band: BandMatrix, borderCount: Int, right: [Double], bottom: [Double], corner: [Double]) {
        let n = band.size
        precondition(right.count == n * borderCount && bottom.count == n * borderCount && corner.count == borderCount * borderCount)
        self.band = band
        self.borderCount = borderCount
        self.right = right
        self.bottom = bottom
        self.corner = corner
    }

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
}

extension BorderedBandLU {
    /// Gives the factor storage back as a matrix of the factorised shape (holding stale
    /// values: assemblies overwrite every entry), so the next assembly reuses it instead
    /// of allocating.
    public consuming func recycle() -> BorderedBandMatrix {
        BorderedBandMatrix(
            band: bandLU.releaseStorage(), borderCount: borderCount, right: lowerRight, bottom: upperBottom,
            corner: [Double](repeating: 0, count: borderCount * borderCount))
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
