import Foundation

/// How one layer is divided into cells across its thickness.
public struct LayerMeshSpec: Sendable, Equatable {
    /// Towards which of the layer's faces the cells shrink.
    public enum Grading: String, Sendable, Equatable, CaseIterable {
        case both, start, end, none
    }

    public var cells: Int?
    /// Largest cell, m.
    public var maxCell: Double?
    /// Ratio of neighbouring cell sizes away from the graded faces (≥ 1).
    public var growth: Double
    /// Size of the cells at the graded faces, m.
    public var smallest: Double?
    public var grading: Grading
    /// Explicit face positions as fractions of the thickness, from 0 to 1 (overrides the rest).
    public var relativeFaces: [Double]?

    public init(
        cells: Int? = nil, maxCell: Double? = nil, growth: Double = 1, smallest: Double? = nil,
        grading: Grading = .both, relativeFaces: [Double]? = nil
    ) {
        self.cells = cells
        self.maxCell = maxCell
        self.growth = growth
        self.smallest = smallest
        self.grading = grading
        self.relativeFaces = relativeFaces
    }

    public static func uniform(_ n: Int) -> LayerMeshSpec { LayerMeshSpec(cells: n, grading: .none) }

    /// Distance (in cells) of cell j from the nearest graded face.
    func rank(_ j: Int, _ n: Int) -> Int {
        switch grading {
        case .both: return min(j, n - 1 - j)
        case .start: return j
        case .end: return n - 1 - j
        case .none: return 0
        }
    }

    /// Why ``widths(thickness:)`` cannot mesh a layer of thickness `t` (m) — explicit
    /// faces that do not rise strictly from 0 to 1 or whose cells vanish at this
    /// thickness, non-finite sizes — or nil when it can.
    public func problem(thickness t: Double) -> String? {
        guard t.isFinite, t > 0 else { return "the thickness must be finite and positive" }
        if let f = relativeFaces {
            guard f.count >= 2, f.first == 0, f.last == 1 else { return "the faces must run from the layer's first face to its last" }
            for (a, b) in zip(f, f.dropFirst()) where !(b > a) || !((b - a) * t > 0) || !((b - a) * t).isFinite {
                return String(format: "the cell between %.6g m and %.6g m has no width in a layer of %.6g m (faces too close for its thickness; use fewer cells, a smaller stretch or other faces)", a * t, b * t, t)
            }
            return nil
        }
        for (name, v) in [("largest cell", maxCell), ("smallest cell", smallest)] {
            if let v, !(v.isFinite && v > 0) { return "the \(name) must be finite and positive" }
        }
        if let n = cells, n < 1 { return "a layer needs at least one cell" }
        return growth.isFinite ? nil : "the growth must be finite"
    }

    /// Cell widths for a layer of thickness `t` (m), summing to `t`.
    public func widths(thickness t: Double) -> [Double] {
        if let f = relativeFaces {
            precondition(f.count >= 2 && f.first == 0 && f.last == 1 && zip(f, f.dropFirst()).allSatisfy { $0 < $1 },
                         "relative faces must rise strictly from 0 to 1")
            return zip(f, f.dropFirst()).map { ($1 - $0) * t }
        }
        let r = max(growth, 1)
        if let n = cells {
            precondition(n >= 1)
            var ratio = r
            if let s = smallest, grading != .none {
                ratio = solveRatio(cells: n, smallest: s, thickness: t)
            }
            let raw = (0..<n).map { pow(ratio, Double(rank($0, n))) }
            let sum = raw.reduce(0, +)
            return raw.map { $0 * t / sum }
        }
        if let m = maxCell {
            let s = min(smallest ?? m, m)
            func raw(_ n: Int) -> [Double] {
                (0..<n).map { min(s * pow(r, Double(rank($0, n))), m) }
            }
            let w = raw(gradedCount(thickness: t, maxCell: m, limit: Int.max)!)
            let sum = w.reduce(0, +)
            return w.map { $0 * t / sum }
        }
        return [Double](repeating: t / 40, count: 40)
    }

    /// The number of cells ``widths(thickness:)`` makes for a layer of thickness `t`
    /// (m), or nil when that is more than `limit` (or the inputs are not finite and
    /// positive); found without allocating the cells, so that a guard can refuse a mesh
    /// before it is built.
    public func cellCount(thickness t: Double, limit: Int) -> Int? {
        guard t.isFinite, t > 0 else { return nil }
        if let f = relativeFaces { return f.count - 1 <= limit ? max(f.count - 1, 0) : nil }
        if let n = cells { return n <= limit ? n : nil }
        if let m = maxCell { return gradedCount(thickness: t, maxCell: m, limit: limit) }
        return 40 <= limit ? 40 : nil
    }

    /// The smallest n whose graded widths min(s·r^rank, m) reach the thickness (their
    /// sum grows with n), by bisection; nil when more than `limit`. The sums run in the
    /// order the widths are summed when built and stop once they reach `t`, so the
    /// count is the one the full sums give, without allocating n widths.
    func gradedCount(thickness t: Double, maxCell m: Double, limit: Int) -> Int? {
        guard t.isFinite, t > 0, m.isFinite, m > 0, limit >= 1 else { return nil }
        let r = max(growth, 1)
        let s = min(smallest ?? m, m)
        guard s.isFinite, s > 0 else { return nil }
        func reaches(_ n: Int) -> Bool {
            var sum = 0.0
            for j in 0..<n {
                sum += min(s * pow(r, Double(rank(j, n))), m)
                if sum >= t { return true }
            }
            return false
        }
        var lo = 1
        // Every width is at least s, so t/s + 1 cells always reach the thickness.
        let bound = (t / s).rounded(.up)
        var hi = bound < 1e15 ? max(1, Int(bound) + 1) : Int.max
        if hi > limit {
            guard reaches(limit) else { return nil }
            hi = limit
        }
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if reaches(mid) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Growth ratio r ≥ 1 with Σ s·r^rank(j) = t for n cells (bisection).
    func solveRatio(cells n: Int, smallest s: Double, thickness t: Double) -> Double {
        func total(_ r: Double) -> Double { (0..<n).reduce(0) { $0 + s * pow(r, Double(rank($1, n))) } }
        if total(1) >= t { return 1 }
        var lo = 1.0
        var hi = 2.0
        while total(hi) < t && hi < 1e6 { hi *= 2 }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if total(mid) < t { lo = mid } else { hi = mid }
            if hi - lo < 1e-15 * hi { break }
        }
        return 0.5 * (lo + hi)
    }
}
