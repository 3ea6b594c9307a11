import Foundation
import IonicsConfig
import IonicsTestSupport
import IonicsUnits
import Testing

/// Lee 2020 (Na-ion synaptic transistor, ref. 111) on the WOx-Na material's σ(x) law with one
/// `conductivity_scale` fitted to Gmin: Gmax, the energy, NL and states are predictions.
/// The golden values are derived here from the law's nodes and the preset's inputs (the
/// film's Na capacity, the ±5 V pulses), not taken from a run.
@Suite("Lee 2020 on the NaxWO3 law")
struct Lee2020Tests {
    // The preset's inputs (configs/devices/na-wox-nawo3-lee2020.json and its materials).
    static let pulses = 50.0, voltage = 5.0                                   // 50 writes of ±5 V × 1 s per branch
    static let channelWidth = 120e-6, channelLength = 120e-6, thickness = 50e-9, filling = 0.05
    static let maximumConcentration = 3.09e4                                  // WOx-Na (WO3 formula units), mol/m³: θ = x = Na/W
    static let gminReported = 90e-6, gmaxReported = 150e-6


    /// σ at a node of the law.
    static func sigma(_ x: Double, _ law: (x: [Double], sigma: [Double])) throws -> Double {
        let i = try #require(law.x.firstIndex(where: { abs($0 - x) < 1e-12 }), "no node at x = \(x)")
        return law.sigma[i]
    }

    /// The literature's regimes (configs/materials/WOx-Na.json, provenance): insulating below the
    /// Anderson transition at x_c ≈ 0.15–0.25 (Raj 2007; Chaitanya Lekshmi & Hegde 2005), σ rising
    /// with x throughout (films: resistivity falls with x), σ ∝ x on the metallic side (Ellerbeck
    /// et al.: linear in x for 0.48–0.88). And the law's assumptions, as documented: ln σ linear
    /// over 0 ≤ x ≤ 0.2 with 3 decades (15 decades per unit x), σ(x_c) of the order of Mott's
    /// minimum metallic conductivity (1e4–1e5 S/m).
    @Test("NaxWO3's σ(x) law: rises monotonically; ln σ linear at 15 decades per unit x on the insulating branch; σ(0.2) near Mott's minimum metallic conductivity; ∝ x on the metallic branch")
    func sigmaLaw() throws {
        let law = try PresetCheck.lawNodes("WOx-Na")
        #expect(law.x.first == 0 && law.x.last == 1)
        for (a, b) in zip(law.sigma, law.sigma.dropFirst()) { #expect(b > a, "σ must rise with x") }
        // Insulating branch: equal ln-steps between equally spaced nodes, 15 decades per unit x.
        let branch = law.x.indices.filter { law.x[$0] <= 0.2 + 1e-12 }
        #expect(branch.count >= 4)
        for (i, j) in zip(branch, branch.dropFirst()) {
            let decadesPerX = log10(law.sigma[j] / law.sigma[i]) / (law.x[j] - law.x[i])
            #expect(abs(decadesPerX - 15) < 1e-3, "between x = \(law.x[i]) and \(law.x[j]): \(decadesPerX) decades per unit x")
        }
        let atTransition = try Self.sigma(0.2, law)
        #expect(atTransition >= 1e4 * (1 - 1e-9) && atTransition <= 1e5)
        // Across the transition σ rises by well over a decade; above it, σ/x is constant.
        let atHalf = try Self.sigma(0.5, law)
        #expect(atHalf / atTransition > 10)
        let metallic = law.x.indices.filter { law.x[$0] >= 0.4 - 1e-12 }
        #expect(metallic.count >= 3)
        let perX = law.sigma[metallic[0]] / law.x[metallic[0]]
        for i in metallic { #expect(abs(law.sigma[i] / law.x[i] / perX - 1) < 1e-9) }
    }

    @Test("predictions: the channel reads the law times one flagged scale; Gmax/Gmin is the law's e^(kΔx̄) for the charge the writes move, so Gmax overshoots Table 1 by ~+110 %; the gate energy is V·q; the potentiation steps grow as the law's exponential says; every write is a state")
    func predictions() throws {
        try PresetCheck.channelOnOneScale(try PresetCheck.config("configs/devices/na-wox-nawo3-lee2020.json"))
        let m = try PresetCheck.metrics("configs/devices/na-wox-nawo3-lee2020.json")

        let (gmin, gmax) = try PresetCheck.gRange(m, gminReported: Self.gminReported)

        // On the insulating branch σ = σ0·e^(kx), k = 15·ln 10 per unit x, so a lateral
        // G = (W/L)Σσ(x_i)Δy_i ≥ (W/L)·d·σ(x̄) (Jensen, e^(kx) convex): from a uniform start,
        // Gmax/Gmin ≥ e^(kΔx̄). Δx̄ = N·q·η/(F·c_max·W·L·d), q the gate charge per pulse, η the
        // share of it that enters the film (the faradaic efficiency, ≈ 1 here: the Al2O3 barrier
        // passes Na⁺, not electrons). The profile's spread adds at most cosh(k·0.01) ≈ 1.06 for
        // a spread of ±0.01 in x; the mean |q| over both branches stands for the potentiation
        // branch's within a few per cent. Hence 0.93 < ratio / e^(kΔx̄) < 1.12.
        let k = 15 * log(10.0)
        let dx = PresetCheck.fillingChange(charge: try PresetCheck.channelCharge(m, pulses: Self.pulses),
                                           maximumConcentration: Self.maximumConcentration, volume: Self.channelWidth * Self.channelLength * Self.thickness)
        #expect(dx > 0.02 && dx < 0.06, "Δx̄ = \(dx)")
        let expected = exp(k * dx)
        let ratio = gmax / gmin
        #expect(ratio > 0.93 * expected && ratio < 1.12 * expected, "Gmax/Gmin = \(ratio), law and charge say \(expected)")

        // The prediction against Table 1 (150 µS): Gmin·e^(kΔx̄) with Δx̄ ≈ 0.035 is ≈ 3.4·90 µS,
        // so Gmax overshoots by +100 % to +130 %. Table 1's ×1.67 would need k·Δx̄ = ln 1.67.
        let error = (gmax - Self.gmaxReported) / Self.gmaxReported
        #expect(error > 1.0 && error < 1.3, "Gmax \(gmax) S, error \(error)")

        // Gate energy per pulse of a voltage-driven write: ∫|V·I| dt = V·|q|.
        let energy = try #require(m["gate_energy_per_pulse"] as? Double)
        let q = try #require(m["charge_per_pulse"] as? Double)
        #expect(abs(energy / (Self.voltage * q) - 1) < 0.01, "gate energy \(energy) J vs V·q = \(Self.voltage * q) J")

        // NL: each write moves δx ≈ Δx̄/N, so the G step grows as e^(k·δx) per write:
        // last / first potentiation step ≈ e^(k·Δx̄·(N−1)/N) ≈ 3.3 (less as the charge per pulse
        // falls a little along the branch), and the depression steps shrink by its inverse.
        // NeuroSim's A gives last/first step = e^(−(N−1)/A).
        let stepGrowth = exp(k * dx * (Self.pulses - 1) / Self.pulses)
        let ap = try #require(m["nonlinearity_potentiation_A"] as? Double)
        let potentiation = exp(-(Self.pulses - 1) / ap)
        #expect(potentiation > 0.75 * stepGrowth && potentiation < 1.1 * stepGrowth, "potentiation: A = \(ap), last/first \(potentiation), law \(stepGrowth)")
        let ad = try #require(m["nonlinearity_depression_A"] as? Double)
        let depression = exp(-(Self.pulses - 1) / ad)
        #expect(depression > 0.6 / stepGrowth && depression < 1.4 / stepGrowth, "depression: A = \(ad), last/first \(depression), law \(1 / stepGrowth)")
        // States: each of the 50 writes gives a distinguishable level (51 with the start).
        #expect(m["states"] as? Int == 51)
    }
}
