import Foundation

/// A tabulated function y(x) interpolated by the monotone piecewise-cubic Hermite
/// scheme of Fritsch & Carlson (SIAM J. Numer. Anal. 17, 238 (1980)): it has a
/// continuous first derivative, reproduces monotone data without overshoot, and
/// never creates extrema between nodes.
///
/// Outside [x₀, x_last] the end value is held (constant extrapolation, zero slope)
/// and ``isOutside(_:)`` tells the caller so that it can report it; the device
/// layer counts such evaluations and records them with the results.
public struct MonotoneTable: Sendable, Equatable {
    public let x: [Double]
    public let y: [Double]
    /// Node slopes.
    @usableFromInline let d: [Double]

    public enum TableError: Error, Equatable, CustomStringConvertible {
        case tooShort
        case lengthMismatch(Int, Int)
        case notIncreasing(index: Int)
        case notFinite(index: Int)

        public var description: String {
            switch self {
            case .tooShort: return "a table needs at least two points"
            case .lengthMismatch(let a, let b): return "the table's columns have different lengths (\(a) and \(b))"
            case .notIncreasing(let i): return "abscissae must increase strictly (entry \(i) does not)"
            case .notFinite(let i): return "entry \(i) is not a finite number"
            }
        }
    }

    public init(x: [Double], y: [Double]) throws(TableError) {
        guard x.count == y.count else { throw .lengthMismatch(x.count, y.count) }
        guard x.count >= 2 else { throw .tooShort }
        for i in x.indices where !x[i].isFinite || !y[i].isFinite { throw .notFinite(index: i) }
        for i in 1..<x.count where !(x[i] > x[i - 1]) { throw .notIncreasing(index: i) }
        self.x = x
        self.y = y
        let n = x.count
        let h = (0..<(n - 1)).map { x[$0 + 1] - x[$0] }
        let delta = (0..<(n - 1)).map { (y[$0 + 1] - y[$0]) / h[$0] }
        var d = [Double](repeating: 0, count: n)
        if n == 2 {
            d = [delta[0], delta[0]]
        } else {
            for k in 1..<(n - 1) {
                if delta[k - 1] * delta[k] > 0 {
                    // Weighted harmonic mean (Fritsch & Butland 1984 form of Fritsch–Carlson).
                    let w1 = 2 * h[k] + h[k - 1]
                    let w2 = h[k] + 2 * h[k - 1]
                    d[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k])
                }
            }
            func endSlope(_ h0: Double, _ h1: Double, _ d0: Double, _ d1: Double) -> Double {
                var s = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1)
                if s * d0 <= 0 { s = 0 } else if d0 * d1 <= 0 && abs(s) > abs(3 * d0) { s = 3 * d0 }
                return s
            }
            d[0] = endSlope(h[0], h[1], delta[0], delta[1])
            d[n - 1] = endSlope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3])
        }
        self.d = d
    }

    /// A table that is the constant `value`.
    public static func constant(_ value: Double) -> MonotoneTable {
        try! MonotoneTable(x: [0, 1], y: [value, value])
    }

    public var isConstant: Bool { y.allSatisfy { $0 == y[0] } }
    public var domain: ClosedRange<Double> { x[0]...x[x.count - 1] }

    public func isOutside(_ t: Double) -> Bool { t < x[0] || t > x[x.count - 1] }

    /// Strictly increasing / decreasing data.
    public var isStrictlyIncreasing: Bool { zip(y, y.dropFirst()).allSatisfy { $0 < $1 } }
    public var isStrictlyDecreasing: Bool { zip(y, y.dropFirst()).allSatisfy { $0 > $1 } }

    /// Value and derivative at t.
    @inlinable
    public func evaluate(_ t: Double) -> (value: Double, derivative: Double) {
        let n = x.count
        if t < x[0] { return (y[0], 0) }
        if t > x[n - 1] { return (y[n - 1], 0) }
        var lo = 0
        var hi = n - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if x[mid] <= t { lo = mid } else { hi = mid }
        }
        let h = x[hi] - x[lo]
        let s = (t - x[lo]) / h
        let s2 = s * s
        let s3 = s2 * s
        let h00 = 2 * s3 - 3 * s2 + 1
        let h10 = s3 - 2 * s2 + s
        let h01 = -2 * s3 + 3 * s2
        let h11 = s3 - s2
        let v = h00 * y[lo] + h10 * h * d[lo] + h01 * y[hi] + h11 * h * d[hi]
        let dv = ((6 * s2 - 6 * s) * y[lo] + (3 * s2 - 4 * s + 1) * h * d[lo] + (-6 * s2 + 6 * s) * y[hi] + (3 * s2 - 2 * s) * h * d[hi]) / h
        return (v, dv)
    }

    public func value(_ t: Double) -> Double { evaluate(t).value }
}
