import Foundation
import IonicsPhysics
import Testing

/// The transfer-rate laws as types: normalisation, detailed balance and derivatives.
@Suite("Transfer rate laws")
struct TransferLawTests {
    static let kT = 1.380649e-23 * 298.15
    static let laws: [any TransferRateLaw] = [
        ButlerVolmerRate(alphaAnodic: 0.5, alphaCathodic: 0.5),
        ButlerVolmerRate(alphaAnodic: 0.3, alphaCathodic: 0.7),
        MarcusHushChidseyRate(reorganizationEnergy: 0.2 * 1.602_176_634e-19, thermalEnergy: kT),
        MarcusHushChidseyRate(reorganizationEnergy: 1.0 * 1.602_176_634e-19, thermalEnergy: kT),
    ]

    @Test("k_red(0) = k_ox(0) = 1 and k_ox/k_red = e^x (detailed balance)", arguments: 0..<4)
    func balance(_ i: Int) {
        let law = Self.laws[i]
        let zero = law.factors(0)
        #expect(abs(zero.reduction - 1) < 1e-12 && abs(zero.oxidation - 1) < 1e-12)
        for x in stride(from: -30.0, through: 30.0, by: 2.5) {
            let k = law.factors(x)
            #expect(abs(log(k.oxidation / k.reduction) - x) < 1e-9 * max(1, abs(x)), "x = \(x)")
        }
    }

    @Test("derivatives agree with centred differences", arguments: 0..<4)
    func derivatives(_ i: Int) {
        let law = Self.laws[i]
        for x in stride(from: -20.0, through: 20.0, by: 1.7) {
            let h = 1e-5
            let p = law.factors(x + h)
            let m = law.factors(x - h)
            let k = law.factors(x)
            #expect(abs((p.reduction - m.reduction) / (2 * h) - k.dReduction) <= 1e-6 * max(abs(k.dReduction), 1e-8))
            #expect(abs((p.oxidation - m.oxidation) / (2 * h) - k.dOxidation) <= 1e-6 * max(abs(k.dOxidation), 1e-8))
        }
    }

    @Test("Marcus–Hush–Chidsey saturates beyond λ while Butler–Volmer grows exponentially")
    func saturation() {
        let lambdaJ = 0.2 * 1.602_176_634e-19
        let mhc = MarcusHushChidseyRate(reorganizationEnergy: lambdaJ, thermalEnergy: Self.kT)
        let bv = ButlerVolmerRate(alphaAnodic: 0.5, alphaCathodic: 0.5)
        let far = 4 * mhc.lambda
        #expect(mhc.factors(far).oxidation / mhc.factors(far / 2).oxidation < 2)
        #expect(abs(bv.factors(far).oxidation / bv.factors(far / 2).oxidation / exp(0.25 * far) - 1) < 1e-12)
        // The registry builds the law a config names.
        #expect(RateLaw.butlerVolmer.transferLaw(alphaAnodic: 0.4, alphaCathodic: 0.6, thermalEnergy: Self.kT) is ButlerVolmerRate)
        let built = RateLaw.marcusHushChidsey(reorganizationEnergy: lambdaJ).transferLaw(alphaAnodic: 0.5, alphaCathodic: 0.5, thermalEnergy: Self.kT)
        #expect(abs((built as! MarcusHushChidseyRate).lambda - mhc.lambda) < 1e-12)
    }
}
