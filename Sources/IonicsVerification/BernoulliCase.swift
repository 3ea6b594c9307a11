import Foundation
import IonicsPhysics

/// Accuracy of the Bernoulli function against an independent 80-bit reference.
public enum BernoulliCase {
    #if arch(x86_64) || arch(i386)
    /// B(x) in 80-bit extended precision (64-bit significand): x / expm1(x), with
    /// B(0) = 1. Its own rounding error (~1e-19) is far below the 1e-15 tested.
    public static func reference(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let e = Float80(x)
        return Double(e / Foundation.expm1(e))
    }

    /// B'(x) in 80-bit precision: (eˣ − 1 − x eˣ)/(eˣ − 1)², for |x| ≥ 1e-2.
    public static func referenceDerivative(_ x: Double) -> Double {
        let e = Float80(x)
        let em1 = Foundation.expm1(e)
        return Double((em1 - e * (em1 + 1)) / (em1 * em1))
    }
    #endif

    /// Sample points: a dense grid on [−700, 700] plus logarithmically spaced small
    /// magnitudes down to 1e-300 of both signs.
    static func samples(grid: Int) -> [Double] {
        var xs = (0...grid).map { -700 + 1400 * Double($0) / Double(grid) }
        for e in stride(from: -300.0, through: 0, by: 0.25) { xs += [pow(10, e), -pow(10, e)] }
        xs += [0, 1e-10, -1e-10, 1, -1, 50, -50, 36, -36, 35.999, -35.999, 0.1, -0.1, 0.0999, -0.0999]
        return xs
    }

    public static func run(grid: Int = 200_000) -> VerificationOutcome {
        var worstValue = 0.0
        var worstDerivative = 0.0
        #if arch(x86_64) || arch(i386)
        for x in samples(grid: grid) {
            let ref = reference(x)
            guard ref != 0 else { continue }
            worstValue = max(worstValue, abs(Bernoulli.value(x) - ref) / abs(ref))
            if abs(x) >= 1e-2 && abs(x) <= 700 {
                let dref = referenceDerivative(x)
                if dref != 0 && dref.isNormal { worstDerivative = max(worstDerivative, abs(Bernoulli.derivative(x) - dref) / abs(dref)) }
            }
        }
        #else
        worstValue = .nan
        #endif
        // Limits beyond ±700: finite, and equal to the asymptotes x·e^(−x) → 0 and −x.
        var limitError = 0.0
        for x in [-1e300, -1e10, -800.0, -746] {
            let b = Bernoulli.value(x)
            limitError = max(limitError, b.isFinite ? abs(b + x) / abs(x) : .infinity)
            let d = Bernoulli.derivative(x)
            limitError = max(limitError, d.isFinite ? abs(d + 1) : .infinity)
        }
        for x in [800.0, 1e10, 1e300] {
            let b = Bernoulli.value(x)
            let d = Bernoulli.derivative(x)
            limitError = max(limitError, b.isFinite && b >= 0 && b < 1e-300 ? 0 : .infinity)
            limitError = max(limitError, d.isFinite && d <= 0 && d > -1e-300 ? 0 : .infinity)
        }
        // B'(0) = −1/2 and the small-|x| series: B'(x) + 1/2 − x/6 = O(x³).
        let atZero = max(abs(Bernoulli.derivative(0) + 0.5), abs(Bernoulli.derivative(1e-6) + 0.5 - 1e-6 / 6))
        return VerificationOutcome(rows: [
            VerificationRow(caseName: "Bernoulli B(x) = x/(eˣ−1)", quantity: "max relative error on [−700, 700] vs 80-bit reference",
                            value: worstValue, tolerance: 1e-15),
            VerificationRow(caseName: "Bernoulli B(x) = x/(eˣ−1)", quantity: "max relative error of B′ for 1e-2 ≤ abs(x) ≤ 700 (both branches)",
                            value: worstDerivative, tolerance: 1e-13),
            VerificationRow(caseName: "Bernoulli B(x) = x/(eˣ−1)", quantity: "limits beyond ±700 (B → −x, x·e⁻ˣ; B′ → −1, 0)",
                            value: limitError, tolerance: 1e-15),
            VerificationRow(caseName: "Bernoulli B(x) = x/(eˣ−1)", quantity: "B′(0) = −1/2 and B′(x) ≈ −1/2 + x/6 near 0",
                            value: atZero, tolerance: 1e-15),
        ])
    }
}
