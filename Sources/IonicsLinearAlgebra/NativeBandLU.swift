/// Band LU with partial pivoting written in Swift, on LAPACK band storage.
///
/// The algorithm is LAPACK's unblocked one (dgbtf2), so the factors and pivots are
/// interchangeable with `dgbtrf`'s and agree with them to round-off. For column j
/// (0-based, kv = kl + ku, A(i, j) at `ab[(kv + i − j) + j·ld]`):
///
///  1. pivot p = argmax |A(j+r, j)|, 0 ≤ r ≤ km = min(kl, n−1−j) (the first of equal
///     magnitudes, as `idamax`); a zero pivot throws `.singular(pivot: j)`;
///  2. swap rows j and j+p over columns j…ju, where ju (the last column any row up to
///     j+p reaches) grows to at most j + kl + ku: the fill-in of partial pivoting;
///  3. l = A(j+1…j+km, j) · (1 / A(j, j));
///  4. A(j+r, c) −= l_r · A(j, c) for the km × (ju − j) trailing block.
///
/// Why not LAPACK: at the half-bandwidths of 1D stacks (kl, ku ≈ 2–16) dgbtf2 makes
/// three BLAS calls per column (and dgbtrs one or two per row) on vectors of length ≈ kl,
/// and the calls cost more than their arithmetic. Here the loops are plain pointer loops.
/// For wide bands LAPACK's level-3 blocked dgbtrf wins; ``BandLUKernel/automatic`` picks.
///
/// **Border.** A bordered matrix M = [A B; C D] (``BorderedBandMatrix``) factorises as
///
///     M = | PᵀL  0 | | U  G |     G = L⁻¹PB (n×k),  W = C·U⁻¹ (k×n),  S = D − W·G (k×k)
///         | W    I | | 0  S |
///
/// G, W and S are built in the same sweep as the band's LU, while the band's columns
/// are in cache: step j swaps and eliminates rows of B as it does rows of A (B's rows
/// are carried along as extra columns), finishes column j of W from row j of U, and
/// subtracts W(:, j)·G(j, :) from S. This replaces the k solves for A⁻¹B that a
/// factorisation followed by block elimination needs; the solves with the factors
/// then need one sweep down and one up (``forward(_:_:border:)``, ``backward(_:_:border:)``).
///
/// Border columns and rows are mostly zero in device Jacobians (a terminal's unknowns
/// couple to the cells at its contact, an equilibrium solve's electrochemical potential
/// to one layer's cells). Elimination only carries nonzeros downwards (G) and to the
/// right (W), so a column of G is zero above its first nonzero of B less kl (the reach
/// of a row interchange), and a row of W left of its first nonzero of C:
/// ``Border/starts`` records these steps and the sweeps skip the border work before them.
///
/// Rows of the storage above the band (the first kl of each column) need not be set on
/// entry: like dgbtf2, the factorisation zeroes the fill-in space of a column just
/// before elimination can reach it.
enum NativeBandLU {
    /// A factorised band in LAPACK storage, as pointers for the kernels.
    struct Factors {
        let n: Int
        let kl: Int
        let ku: Int
        /// Band storage, leading dimension `ld` = 2·kl + ku + 1.
        let ab: UnsafeMutablePointer<Double>
        let ld: Int
        /// 1-based row interchanges, LAPACK's convention.
        let ipiv: UnsafeMutablePointer<Int32>
        /// 1 / U(j, j): the back substitution multiplies instead of dividing, which takes
        /// a division's latency off its chain of dependent operations.
        let reciprocals: UnsafeMutablePointer<Double>

        var kv: Int { kl + ku }
        /// Along a row of band storage, consecutive columns are ld − 1 apart.
        var rowStride: Int { ld - 1 }
    }

    /// The border of a bordered band matrix: B, C and D on entry; G = L⁻¹PB, W = C·U⁻¹
    /// and S = D − W·G after ``factor(_:border:)`` or ``eliminateBorder(_:_:)``.
    struct Border {
        let count: Int
        /// B → G, n × count column-major.
        let right: UnsafeMutablePointer<Double>
        /// C → W, count × n row-major.
        let bottom: UnsafeMutablePointer<Double>
        /// D → S, count × count column-major.
        let corner: UnsafeMutablePointer<Double>
        /// 2·count steps: column c of G is zero in rows < starts[c], row r of W in
        /// columns < starts[count + r] (n for a zero column or row). Set by
        /// ``findStarts(kl:n:)`` before the factorisation.
        let starts: UnsafeMutablePointer<Int>

        /// Records where each column of B (less the kl rows an interchange can move a
        /// nonzero up) and each row of C first holds a nonzero.
        func findStarts(kl: Int, n: Int) {
            for c in 0..<count {
                let i = Self.firstNonzero(right + c * n, n)
                starts[c] = i == n ? n : max(0, i - kl)
            }
            for r in 0..<count {
                starts[count + r] = Self.firstNonzero(bottom + r * n, n)
            }
        }

        /// The index of the first nonzero of x[0..<n] (n if none), four values per test
        /// while they are all ±0 (a border stored after a reversed band is zero but for
        /// its last rows, so the whole column is scanned).
        static func firstNonzero(_ x: UnsafeMutablePointer<Double>, _ n: Int) -> Int {
            var i = 0
            while i + 4 <= n {
                // ±0 alone have no bits but the sign.
                let bits = (x[i].bitPattern | x[i + 1].bitPattern | x[i + 2].bitPattern | x[i + 3].bitPattern) << 1
                if bits != 0 { break }
                i += 4
            }
            while i < n && x[i] == 0 { i += 1 }
            return i
        }
    }

    /// Factorises the band in place (and eliminates `border` alongside). Lower bandwidths
    /// 1–6 (1D stacks of one to six unknowns per cell) run a copy of the sweep specialised
    /// for them, whose loops over the kl rows below the diagonal have a constant trip count
    /// (unrolled) wherever the band is not cut by the matrix's end.
    static func factor(_ f: Factors, border: Border?) throws(LinearAlgebraError) {
        switch f.kl {
        case 1: try factor(f, border: border, lower: Lower1.self)
        case 2: try factor(f, border: border, lower: Lower2.self)
        case 3: try factor(f, border: border, lower: Lower3.self)
        case 4: try factor(f, border: border, lower: Lower4.self)
        case 5: try factor(f, border: border, lower: Lower5.self)
        case 6: try factor(f, border: border, lower: Span6.self)
        default: try factor(f, border: border, lower: LowerAny.self)
        }
    }

    /// A lower bandwidth (or, for the back substitution, kl + ku) known when the sweep is
    /// compiled (0: read from the factors).
    protocol StaticLower { static var kl: Int { get } }
    enum Lower1: StaticLower { static var kl: Int { 1 } }
    enum Lower2: StaticLower { static var kl: Int { 2 } }
    enum Lower3: StaticLower { static var kl: Int { 3 } }
    enum Lower4: StaticLower { static var kl: Int { 4 } }
    enum Lower5: StaticLower { static var kl: Int { 5 } }
    enum LowerAny: StaticLower { static var kl: Int { 0 } }

    static func factor<L: StaticLower>(_ f: Factors, border: Border?, lower: L.Type) throws(LinearAlgebraError) {
        precondition(L.kl == 0 || L.kl == f.kl)
        let (n, ku, ab, ld, kv, rowStride) = (f.n, f.ku, f.ab, f.ld, f.kv, f.rowStride)
        // A constant after specialisation (but for LowerAny).
        let kl = L.kl > 0 ? L.kl : f.kl
        precondition(ld == 2 * kl + ku + 1 && n > 0)
        if kl > 0 {
            // Columns ku+1 ..< kv are reached from row 0 onwards: clear their fill-in
            // rows that lie inside the matrix now; later columns are cleared in the loop.
            var c = ku + 1
            while c < min(kv, n) {
                let column = ab + c * ld
                for r in (kv - c)..<kl { column[r] = 0 }
                c += 1
            }
        }
        var ju = 0
        for j in 0..<n {
            if kl > 0 && j + kv < n {
                // Column j + kv is first touched at this step (a swap with row j + kl).
                (ab + (j + kv) * ld).update(repeating: 0, count: kl)
            }
            let km = min(kl, n - 1 - j)
            // d[0] = A(j, j), d[r] = A(j + r, j), d[s·rowStride] = A(j, j + s).
            let d = ab + (j * ld + kv)
            // Full columns (km = kl) loop to the constant kl; the last kl columns to km.
            let full = km == kl
            var p = 0
            var largest = abs(d[0])
            for r in 1..<((full ? kl : km) + 1) {
                let m = abs(d[r])
                if m > largest {
                    largest = m
                    p = r
                }
            }
            f.ipiv[j] = Int32(truncatingIfNeeded: j + p + 1)
            let pivot = d[p]
            if pivot == 0 { throw .singular(function: "band LU", pivot: j) }
            ju = max(ju, min(j + ku + p, n - 1))
            let width = ju - j
            if p != 0 {
                var a = d
                var b = d + p
                for _ in 0..<(width + 1) {
                    let t = a.pointee
                    a.pointee = b.pointee
                    b.pointee = t
                    a += rowStride
                    b += rowStride
                }
            }
            // Multiply by the reciprocal, as dgbtf2 does (one division per column).
            let reciprocal = 1 / pivot
            f.reciprocals[j] = reciprocal
            if full && km > 0 {
                for r in 1..<(kl + 1) { d[r] *= reciprocal }
                var u = d + rowStride
                for _ in 0..<width {
                    let ujc = u.pointee
                    // U's fill-in columns are often still zero (no swap reached them): skip.
                    if ujc != 0 {
                        for r in 1..<(kl + 1) { u[r] -= d[r] * ujc }
                    }
                    u += rowStride
                }
            } else if km > 0 {
                for r in 1..<(km + 1) { d[r] *= reciprocal }
                var u = d + rowStride
                for _ in 0..<width {
                    let ujc = u.pointee
                    if ujc != 0 {
                        for r in 1..<(km + 1) { u[r] -= d[r] * ujc }
                    }
                    u += rowStride
                }
            }
            if let border {
                eliminateBorder(
                    border, n: n, step: j, d: d, swap: p, below: km, width: width, reciprocal: reciprocal, rowStride: rowStride)
            }
        }
    }

    /// Builds G, W and S for factors computed without the border (by LAPACK's dgbtrf):
    /// the border work of every step of ``factor(_:border:)``, after the fact.
    static func eliminateBorder(_ f: Factors, _ border: Border) {
        for j in 0..<f.n {
            // Row j of U beyond its last nonzero holds zeros (cleared fill-in).
            eliminateBorder(
                border, n: f.n, step: j, d: f.ab + (j * f.ld + f.kv), swap: Int(f.ipiv[j]) - 1 - j,
                below: min(f.kl, f.n - 1 - j), width: min(f.kv, f.n - 1 - j), reciprocal: f.reciprocals[j],
                rowStride: f.rowStride)
        }
    }

    /// Step j's work on the border, once column j of L (`d[1...below]`, multipliers)
    /// and row j of U (`d[s·rowStride]`, 0 ≤ s ≤ width; `reciprocal` = 1 / U(j, j)) are final.
    @inline(__always)
    static func eliminateBorder(
        _ border: Border, n: Int, step j: Int, d: UnsafeMutablePointer<Double>, swap p: Int, below km: Int, width: Int,
        reciprocal: Double, rowStride: Int
    ) {
        let k = border.count
        let starts = border.starts
        // Rows of B: the same interchange and elimination as rows of A.
        for c in 0..<k where j >= starts[c] {
            let g = border.right + (j + c * n)
            // Unconditional (a no-op for p = 0): saves a branch that pivoting makes hard to predict.
            let gj = g[p]
            g[p] = g[0]
            g[0] = gj
            for r in 1..<(km + 1) { g[r] -= d[r] * gj }
        }
        // W(r, j) = C(r, j) / U(j, j), then C(r, j+s) −= W(r, j)·U(j, j+s): C·U⁻¹ by rows.
        for r in 0..<k where j >= starts[k + r] {
            let row = border.bottom + (r * n + j)
            let w = row[0] * reciprocal
            row[0] = w
            if w != 0 {
                var u = d + rowStride
                for s in 1..<(width + 1) {
                    row[s] -= w * u.pointee
                    u += rowStride
                }
                for c in 0..<k where j >= starts[c] { border.corner[r + c * k] -= w * border.right[j + c * n] }
            }
        }
    }

    /// Solves A·X = B in place for `count` right-hand sides stored `ldb` apart.
    static func solve(_ f: Factors, b: UnsafeMutablePointer<Double>, ldb: Int, count: Int) {
        for c in 0..<count {
            let column = b + c * ldb
            forward(f, column, border: nil)
            backward(f, column, border: nil)
        }
    }

    /// z = L⁻¹P·b in place (dgbtrs's order: interchange, then eliminate below, column by
    /// column). With a border, `b` has n + k entries and its last k become b₂ − W·z.
    static func forward(_ f: Factors, _ b: UnsafeMutablePointer<Double>, border: Border?) {
        switch f.kl {
        case 1: forward(f, b, border: border, lower: Lower1.self)
        case 2: forward(f, b, border: border, lower: Lower2.self)
        case 3: forward(f, b, border: border, lower: Lower3.self)
        case 4: forward(f, b, border: border, lower: Lower4.self)
        case 5: forward(f, b, border: border, lower: Lower5.self)
        case 6: forward(f, b, border: border, lower: Span6.self)
        default: forward(f, b, border: border, lower: LowerAny.self)
        }
    }

    /// ``forward(_:_:border:)`` with the lower bandwidth known at compile time (see ``factor(_:border:)``).
    static func forward<L: StaticLower>(_ f: Factors, _ b: UnsafeMutablePointer<Double>, border: Border?, lower: L.Type) {
        let (n, ab, ld, kv) = (f.n, f.ab, f.ld, f.kv)
        let kl = L.kl > 0 ? L.kl : f.kl
        let k = border?.count ?? 0
        let w = border?.bottom ?? ab
        let starts = border?.starts
        for j in 0..<n {
            let l = Int(f.ipiv[j]) - 1
            var bj = b[j]
            if l != j {
                b[j] = b[l]
                b[l] = bj
                bj = b[j]
            }
            guard bj != 0 else { continue }
            let column = ab + (j * ld + kv)
            let below = b + j
            if j + kl < n {
                for r in 1..<(kl + 1) { below[r] -= column[r] * bj }
            } else {
                for r in 1..<(n - j) { below[r] -= column[r] * bj }
            }
            for r in 0..<k where j >= starts.unsafelyUnwrapped[k + r] { b[n + r] -= w[r * n + j] * bj }
        }
    }

    /// x = U⁻¹·z in place, column by column from the last (dtbsv's order). With a
    /// border, `b` has n + k entries, the last k already the border's solution y, and
    /// z − G·y is what is solved.
    static func backward(_ f: Factors, _ b: UnsafeMutablePointer<Double>, border: Border?) {
        // Specialised on kv = kl + ku for the bands of 1D stacks (kl = ku = 1…4).
        switch f.kv {
        case 2: backward(f, b, border: border, span: Lower2.self)
        case 4: backward(f, b, border: border, span: Lower4.self)
        case 6: backward(f, b, border: border, span: Span6.self)
        case 8: backward(f, b, border: border, span: Span8.self)
        case 10: backward(f, b, border: border, span: Span10.self)
        case 12: backward(f, b, border: border, span: Span12.self)
        default: backward(f, b, border: border, span: LowerAny.self)
        }
    }
    enum Span6: StaticLower { static var kl: Int { 6 } }
    enum Span8: StaticLower { static var kl: Int { 8 } }
    enum Span10: StaticLower { static var kl: Int { 10 } }
    enum Span12: StaticLower { static var kl: Int { 12 } }

    /// ``backward(_:_:border:)`` with kv known at compile time (`S.kl`; 0: read from the factors).
    static func backward<S: StaticLower>(_ f: Factors, _ b: UnsafeMutablePointer<Double>, border: Border?, span: S.Type) {
        let (n, ab, ld) = (f.n, f.ab, f.ld)
        let kv = S.kl > 0 ? S.kl : f.kv
        let k = border?.count ?? 0
        let g = border?.right ?? ab
        let starts = border?.starts
        var j = n - 1
        while j >= 0 {
            var x = b[j]
            for c in 0..<k where j >= starts.unsafelyUnwrapped[c] { x -= g[j + c * n] * b[n + c] }
            if x != 0 {
                x *= f.reciprocals[j]
                // column[−s] = U(j − s, j).
                let column = ab + (j * ld + kv)
                let above = b + j
                if j >= kv {
                    for s in 1..<(kv + 1) { above[-s] -= column[-s] * x }
                } else {
                    for s in 1..<(j + 1) { above[-s] -= column[-s] * x }
                }
            }
            b[j] = x
            j -= 1
        }
    }
}
