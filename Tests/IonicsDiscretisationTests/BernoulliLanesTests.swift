import Foundation
import IonicsPhysics
import IonicsVerification
import Testing

/// The branch-free SIMD Bernoulli function (`Bernoulli.lanes`) against an independent
/// 80-bit reference and against the scalar `Bernoulli.value`/`derivative`, over the whole
/// range the Scharfetter–Gummel flux can see: a dense grid on [−700, 700], magnitudes
/// down to 1e-300 of both signs, the branch points of both, and beyond ±700.
@Suite("SIMD Bernoulli lanes")
struct BernoulliLanesTests {
    /// A dense grid, log-spaced small and large magnitudes of both signs, and the points
    /// where either implementation switches formula (|x| = 0.1, 1, 36).
    static func samples() -> [Double] {
        var xs = (0...100_000).map { -700 + 1400 * Double($0) / 100_000 }
        for e in stride(from: -300.0, through: 2.845, by: 0.005) { xs += [pow(10, e), -pow(10, e)] }
        for x in [0.0, 1e-300, 1e-20, 1e-10, 0.0999, 0.1, 0.1001, 0.999_999_999, 1, 1.000_000_001, 35.999, 36, 36.001, 50, 700] {
            xs += [x, -x, x.nextUp, -x.nextUp, x.nextDown, -x.nextDown]
        }
        return xs
    }

    /// B(x), B(−x), B′(x), B′(−x) of every sample from the SIMD lanes.
    struct Sample {
        var x, plus, minus, dPlus, dMinus: Double
    }

    static func lanes(_ samples: [Double]) -> [Sample] {
        var out: [Sample] = []
        let xs = samples + [Double](repeating: 0.5, count: (8 - samples.count % 8) % 8)
        for i in stride(from: 0, to: xs.count, by: 8) {
            let x = SIMD8<Double>(xs[i..<(i + 8)])
            let b = Bernoulli.lanes(x)
            for l in 0..<8 { out.append(Sample(x: x[l], plus: b.plus[l], minus: b.minus[l], dPlus: b.dPlus[l], dMinus: b.dMinus[l])) }
        }
        return out
    }

    #if arch(x86_64) || arch(i386)
    /// B(x) in 80-bit precision (``BernoulliCase/reference(_:)``).
    static func reference(_ x: Double) -> Double { BernoulliCase.reference(x) }

    /// B′(x) in 80-bit precision for |x| ≥ 1e-2 (``BernoulliCase/referenceDerivative(_:)``,
    /// whose own cancellation stays below 1e-17 there); below, the scalar series (exact to 1e-19).
    static func referenceDerivative(_ x: Double) -> Double {
        abs(x) < 1e-2 ? Bernoulli.derivative(x) : BernoulliCase.referenceDerivative(x)
    }

    @Test("B(±x) within 1e-15 and B′(±x) within 2e-15 relative of an 80-bit reference on [−700, 700]")
    func againstReference() {
        var worstValue = (error: 0.0, x: 0.0)
        var worstDerivative = (error: 0.0, x: 0.0)
        for s in Self.lanes(Self.samples()) where abs(s.x) <= 700 {
            for (v, r) in [(s.plus, Self.reference(s.x)), (s.minus, Self.reference(-s.x))] where r.isNormal {
                let e = abs(v - r) / abs(r)
                if !(e <= worstValue.error) { worstValue = (e, s.x) }
            }
            for (v, r) in [(s.dPlus, Self.referenceDerivative(s.x)), (s.dMinus, Self.referenceDerivative(-s.x))] where r.isNormal {
                let e = abs(v - r) / abs(r)
                if !(e <= worstDerivative.error) { worstDerivative = (e, s.x) }
            }
        }
        #expect(worstValue.error <= 1e-15, "B: \(worstValue)")
        #expect(worstDerivative.error <= 2e-15, "B′: \(worstDerivative)")
    }
    #endif

    @Test("agrees with the scalar Bernoulli function: B to 1e-15, B′ to 1e-14 (the scalar B′'s own error), subnormal results to 1e-300")
    func againstScalar() {
        var worstValue = (error: 0.0, x: 0.0)
        var worstDerivative = (error: 0.0, x: 0.0)
        var worstTiny = (error: 0.0, x: 0.0)
        for s in Self.lanes(Self.samples() + [745, -745, 710, -710, 720.5, -720.5]) {
            let pairs = [(s.plus, Bernoulli.value(s.x)), (s.minus, Bernoulli.value(-s.x))]
            let derivatives = [(s.dPlus, Bernoulli.derivative(s.x)), (s.dMinus, Bernoulli.derivative(-s.x))]
            for (v, r) in pairs + derivatives where !r.isNormal {
                let e = abs(v - r)
                if !(e <= worstTiny.error) { worstTiny = (e, s.x) }
            }
            for (v, r) in pairs where r.isNormal {
                let e = abs(v - r) / abs(r)
                if !(e <= worstValue.error) { worstValue = (e, s.x) }
            }
            for (v, r) in derivatives where r.isNormal {
                let e = abs(v - r) / abs(r)
                if !(e <= worstDerivative.error) { worstDerivative = (e, s.x) }
            }
        }
        #expect(worstValue.error <= 1e-15, "B: \(worstValue)")
        #expect(worstDerivative.error <= 1e-14, "B′: \(worstDerivative)")
        #expect(worstTiny.error <= 1e-300, "subnormal or zero results: \(worstTiny)")
    }

    @Test("exact values at 0 and the limits beyond ±700: B → −x and x·e⁻ˣ → 0, B′ → −1 and 0")
    func limits() {
        let b = Bernoulli.lanes(SIMD8(0, -0.0, 800, -800, 1e10, -1e10, 1e300, -1e300))
        #expect(b.plus[0] == 1 && b.minus[0] == 1 && b.dPlus[0] == -0.5 && b.dMinus[0] == -0.5)
        #expect(b.plus[1] == 1 && b.dPlus[1] == -0.5)
        for (l, x) in [(2, 800.0), (4, 1e10), (6, 1e300)] {
            // B(x) = 0 = B(−(−x)); B(−x) = x; B′(x) = −0; B′(−x) = −1.
            #expect(b.plus[l] == 0 && b.minus[l] == x && b.dPlus[l] == 0 && b.dMinus[l] == -1, "x = \(x)")
            #expect(b.plus[l + 1] == x && b.minus[l + 1] == 0 && b.dPlus[l + 1] == -1 && b.dMinus[l + 1] == 0, "x = \(-x)")
        }
        let nan = Bernoulli.lanes(SIMD8(repeating: .nan))
        #expect(nan.plus[0].isNaN && nan.minus[0].isNaN && nan.dPlus[0].isNaN && nan.dMinus[0].isNaN)
    }

    @Test("the flux identity B(−x) = eˣ B(x) holds to 2e-15 for |x| ≤ 30")
    func detailedBalance() {
        var worst = 0.0
        for s in Self.lanes(Self.samples()) where abs(s.x) <= 30 {
            worst = max(worst, abs(s.minus - exp(s.x) * s.plus) / s.minus)
        }
        #expect(worst <= 2e-15, "\(worst)")
    }
}
