import Foundation

/// Quantiles of Student's t and of the standard normal distribution, for confidence
/// intervals of fitted parameters.
///
/// The t distribution's CDF for t ≥ 0 is 1 − ½·I_x(ν/2, ½) with x = ν/(ν + t²) and
/// I the regularised incomplete beta function (Abramowitz & Stegun 26.7.1, 26.5.27),
/// evaluated by its continued fraction (DLMF 8.17.22) with the modified Lentz method;
/// the quantile is found by bisection on a bracket, to a relative 1e-13. For ν = ∞
/// (or ν > 1e7, where the two differ by < 1e-7) the normal quantile is used:
/// Φ(z) = ½·erfc(−z/√2), inverted the same way.
public enum StudentT {
    /// The p-quantile of Student's t with `dof` degrees of freedom (`.infinity`: normal).
    /// - Precondition: 0 < p < 1, dof > 0.
    public static func quantile(_ p: Double, dof: Double) -> Double {
        precondition(p > 0 && p < 1 && dof > 0, "quantile needs 0 < p < 1 and dof > 0")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, dof: dof) }
        func cdf(_ t: Double) -> Double { cumulative(t, dof: dof) }
        var lo = 0.0, hi = 1.0
        while cdf(hi) < p {
            lo = hi
            hi *= 2
            if hi > 1e300 { return .infinity }
        }
        for _ in 0..<400 {
            let mid = 0.5 * (lo + hi)
            if cdf(mid) < p { lo = mid } else { hi = mid }
            if hi - lo <= 1e-13 * hi { break }
        }
        return 0.5 * (lo + hi)
    }

    /// The standard normal p-quantile.
    public static func normalQuantile(_ p: Double) -> Double { quantile(p, dof: .infinity) }

    /// P(T ≤ t) for Student's t with `dof` degrees of freedom.
    public static func cumulative(_ t: Double, dof: Double) -> Double {
        if dof > 1e7 { return normalCDF(t) }
        let x = dof / (dof + t * t)
        let tail = 0.5 * regularisedBeta(x, a: dof / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// I_x(a, b), the regularised incomplete beta function.
    static func regularisedBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        // x^a (1−x)^b / (a B(a, b)), in logarithms.
        let logFront = a * log(x) + b * log1p(-x) - (lgamma(a) + lgamma(b) - lgamma(a + b))
        // The continued fraction converges fast for x < (a+1)/(a+b+2); otherwise use the symmetry
        // I_x(a, b) = 1 − I_{1−x}(b, a).
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, a: b, b: a) / b
    }

    /// The continued fraction 1/(1 + d₁/(1 + d₂/(1 + …))) of I_x(a, b) (DLMF 8.17.22),
    /// by the modified Lentz method: partial numerators a₁ = 1, a_j = d_(j−1), every
    /// partial denominator 1.
    static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var f = tiny, c = tiny, d = 0.0
        for j in 1...10_000 {
            let numerator: Double
            let k = j - 1
            if k == 0 {
                numerator = 1
            } else if k % 2 == 0 {
                let m = Double(k / 2)
                numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            } else {
                let m = Double((k - 1) / 2)
                numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            }
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            d = 1 / d
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            let factor = c * d
            f *= factor
            if j > 1 && abs(factor - 1) < 1e-15 { break }
        }
        return f
    }
}
