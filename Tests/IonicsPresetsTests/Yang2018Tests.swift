import Foundation
import IonicsConfig
import IonicsTestSupport
import IonicsUnits
import Testing

/// Yang 2018 (Li⁺ | α-MoO3 | PEO:LiClO4, ref. 83) on the MoO3 material's σ(x) law with one
/// `conductivity_scale` fitted to Gmin: Gmax, the energy, NL and states are predictions.
/// The golden values are derived here from the law's nodes and the preset's inputs, not
/// taken from a run.
@Suite("Yang 2018 on the LixMoO3 law")
struct Yang2018Tests {
    // The preset's inputs (configs/devices/li-moo3-peo-yang2018.json and its materials).
    static let pulses = 50.0, voltage = 2.5                                   // 50 writes of ±2.5 V × 10 ms per branch
    static let channelWidth = 5e-6, channelLength = 10e-6, thickness = 20e-9, filling = 0.05
    static let maximumConcentration = 3.26e4                                  // MoO3 formula units, mol/m³: θ = x = Li/Mo
    static let gminReported = 42e-9, gmaxReported = 75e-9


    /// The literature (configs/materials/MoO3.json, provenance): α-MoO3 is a wide-gap insulator
    /// conducting ~1e-6 S/m (Hu et al. 2011; Colson et al. 1992); alkali uptake that keeps the
    /// layered structure raises σ to 24 S/m (Hu et al.: seven decades). And the law's
    /// assumptions, as documented: ln σ linear in x up to x = 0.3 (the K content of Hu's
    /// bronze taken as 0.3), σ ∝ x above.
    @Test("LixMoO3's σ(x) law: rises monotonically; insulating (≤ 1e-5 S/m) at x = 0; seven decades up to x = 0.3; ln σ linear below, ∝ x above")
    func sigmaLaw() throws {
        let law = try PresetCheck.lawNodes("MoO3")
        #expect(law.x.first == 0 && law.x.last == 1)
        for (a, b) in zip(law.sigma, law.sigma.dropFirst()) { #expect(b > a, "σ must rise with x") }
        let i0 = try #require(law.x.firstIndex(where: { $0 == 0 }))
        let i3 = try #require(law.x.firstIndex(where: { abs($0 - 0.3) < 1e-12 }))
        #expect(law.sigma[i0] <= 1e-5)
        let decades = log10(law.sigma[i3] / law.sigma[i0])
        #expect(decades > 7 && decades < 7.5, "\(decades) decades from x = 0 to 0.3")
        // Equal ln-steps per unit x below x = 0.3.
        let slope = log(law.sigma[i3] / law.sigma[i0]) / 0.3
        for i in law.x.indices where i > 0 && law.x[i] <= 0.3 + 1e-12 {
            let s = log(law.sigma[i] / law.sigma[i - 1]) / (law.x[i] - law.x[i - 1])
            #expect(abs(s / slope - 1) < 1e-3, "ln-slope \(s) between x = \(law.x[i - 1]) and \(law.x[i]), branch \(slope)")
        }
        for i in law.x.indices where law.x[i] >= 0.3 - 1e-12 {
            #expect(abs(law.sigma[i] / law.x[i] / (law.sigma[i3] / 0.3) - 1) < 1e-3)
        }
    }

    @Test("predictions: the channel reads the law times one flagged scale; Gmax/Gmin lies between the law's e^(kΔx̄) for the Li the writes move and the largest gain a redistribution within the sheet allows; the gate energy is V·q")
    func predictions() throws {
        try PresetCheck.channelOnOneScale(try PresetCheck.config("configs/devices/li-moo3-peo-yang2018.json"))
        let m = try PresetCheck.metrics("configs/devices/li-moo3-peo-yang2018.json")

        let (gmin, gmax) = try PresetCheck.gRange(m, gminReported: Self.gminReported)

        // Below x = 0.3 the law is σ0·e^(kx), k = ln(24 / 1e-6)/0.3. A lateral
        // G = (W/L)Σσ(x_i)Δy_i from a uniform start at x0 gives Gmax/Gmin = E[e^(k(x − x0))]
        // over the sheet's profile. Lower bound (Jensen): e^(kΔx̄), Δx̄ = N·q·η/(F·c_max·W·L·d)
        // with q the gate charge per pulse and η the share entering the sheet (faradaic
        // efficiency; most of the gate charge only charges the PEO double layer), taken within
        // 10 % for the mean over both branches. Upper bound: for a profile confined to
        // [0, b] with mean m, E[e^(k(x − m))] ≤ ((b − m)e^(−km) + m·e^(k(b − m)))/b (convexity);
        // the sheet's local x stays below b = 2x0 = 0.1 (the writes add ~0.003 to its mean, and
        // Li piling up at the electrolyte side comes from the rest of the sheet).
        let k = log(24 / 1e-6) / 0.3
        let dx = PresetCheck.fillingChange(charge: try PresetCheck.channelCharge(m, pulses: Self.pulses),
                                           maximumConcentration: Self.maximumConcentration, volume: Self.channelWidth * Self.channelLength * Self.thickness)
        #expect(dx > 0 && dx < 0.01, "Δx̄ = \(dx)")
        let mean = Self.filling + dx, b = 2 * Self.filling
        let spread = ((b - mean) * exp(-k * mean) + mean * exp(k * (b - mean))) / b
        let lower = 0.9 * exp(k * dx), upper = 1.1 * exp(k * dx) * spread
        let ratio = gmax / gmin
        #expect(ratio > lower && ratio < upper, "Gmax/Gmin = \(ratio), law and charge bound it to [\(lower), \(upper)]")
        // Against Table 1 (75 nS, ×1.79) the same bounds, with Gmin within its 20 % fit bound,
        // confine the error to [0.8·lower·Gmin/Gmax − 1, 1.2·upper·Gmin/Gmax − 1] ≈ [−53 %, +560 %]:
        // loose, because the gain from Li redistributing within the sheet is not fixed by the
        // inputs (the run gives −31 %, docs/devices.md, ref. 83).
        let error = (gmax - Self.gmaxReported) / Self.gmaxReported
        let ratioReported = Self.gminReported / Self.gmaxReported
        #expect(error > 0.8 * lower * ratioReported - 1 && error < 1.2 * upper * ratioReported - 1, "Gmax \(gmax) S, error \(error)")

        // Gate energy per pulse of a voltage-driven write: ∫|V·I| dt = V·|q|.
        let energy = try #require(m["gate_energy_per_pulse"] as? Double)
        let q = try #require(m["charge_per_pulse"] as? Double)
        #expect(abs(energy / (Self.voltage * q) - 1) < 0.01, "gate energy \(energy) J vs V·q = \(Self.voltage * q) J")
        // States: at most one distinguishable level per write (51 with the start), at least two.
        let states = try #require(m["states"] as? Int)
        #expect(states >= 2 && states <= 51)
    }
}
