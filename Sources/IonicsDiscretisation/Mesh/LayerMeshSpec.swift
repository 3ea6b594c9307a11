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
            // Smallest n whose graded widths reach the thickness (the sum grows with n).
            var lo = 1
            var hi = max(1, Int((t / s).rounded(.up)) + 1)
            while lo < hi {
                let mid = (lo + hi) / 2
                if raw(mid).reduce(0, +) >= t { hi = mid } else { lo = mid + 1 }
            }
            let w = raw(lo)
            let sum = w.reduce(0, +)
            return w.map { $0 * t / sum }
        }
        return [Double](repeating: t / 40, count: 40)
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
