public import Foundation

/// The Bernoulli function B(x) = x / (eˣ − 1) of the Scharfetter–Gummel flux, and
/// its derivative.
///
/// Scharfetter & Gummel, IEEE Trans. Electron Devices 16, 64 (1969). The discrete
/// flux between two points a distance d apart,
///
///     J = (D/d) [ B(Δψ)·c_a − B(−Δψ)·c_b ],   Δψ = ψ_b − ψ_a,
///
/// vanishes exactly when c_b/c_a = e^(−Δψ) (discrete Boltzmann equilibrium), because
/// B(−x) = eˣ·B(x).
///
/// Accuracy (tested against an 80-bit reference): relative error ≤ 1e-15 on
/// [−700, 700]. `x / expm1(x)` is accurate wherever expm1 is (it has no cancellation
/// near 0); beyond the branch points the asymptotic forms are exact in double
/// precision: B(x) = x·e^(−x)/(1 − e^(−x)) for large x (underflows to 0 gracefully,
/// no overflow of eˣ) and B(x) = −x/(1 − eˣ) for very negative x (→ −x).
public enum Bernoulli {
    /// B(x) = x/(eˣ − 1); B(0) = 1.
    @inlinable
    public static func value(_ x: Double) -> Double {
        if x == 0 { return 1 }
        if x > 36 {
            // eˣ − 1 = eˣ(1 − e^(−x)); e^(−x) < 2.4e-16 so the bracket is 1 to double precision,
            // but keep it for the range up to the branch point at 36.
            let e = exp(-x)
            return x * e / (1 - e)
        }
        if x < -36 {
            return -x / (1 - exp(x))
        }
        return x / expm1(x)
    }

    /// B'(x) = B(x)·[(1 − B(x))/x − 1]; B'(0) = −1/2. A Taylor series is used for
    /// |x| < 0.1, where (1 − B)/x would lose digits to cancellation, and the closed
    /// forms B' = e^(−x)(1 − x − e^(−x))/(1 − e^(−x))² (x > 36) and
    /// B' = −(1 − eˣ + x eˣ)/(1 − eˣ)² (x < −36), where B(1 − B)/x − B cancels.
    @inlinable
    public static func derivative(_ x: Double) -> Double {
        if x > 36 {
            let e = exp(-x)
            let d = 1 - e
            return e * (1 - x - e) / (d * d)
        }
        if x < -36 {
            let e = exp(x)
            let d = 1 - e
            return -(1 - e + x * e) / (d * d)
        }
        if abs(x) < 0.1 {
            // B(x) = Σ B_n xⁿ/n! (Bernoulli numbers) ⇒ B'(x) = −1/2 + x/6 − x³/180 + x⁵/5040 − x⁷/151200 + x⁹/4790016.
            let x2 = x * x
            return -0.5 + x * (1.0 / 6 + x2 * (-1.0 / 180 + x2 * (1.0 / 5040 + x2 * (-1.0 / 151_200 + x2 / 4_790_016))))
        }
        let b = value(x)
        return b * ((1 - b) / x - 1)
    }

    /// B(x) and B(−x) = B(x) + x together (one exponential).
    @inlinable
    public static func pair(_ x: Double) -> (plus: Double, minus: Double) {
        let b = value(x)
        return (b, b + x)
    }
}
