import Foundation
import IonicsConfig
import IonicsDevice
import IonicsPresets
import IonicsTestSupport
import IonicsUnits
import Testing

/// Bao 2019 (Li⁺ | multilayer MoS2 | PEO:LiClO4, ref. 87) on the MoS2 material's
/// literature electron parameters (N_c, N_d, μ_n; configs/materials/MoS2.json) with one
/// `conductivity_scale` on μ_n fitted to Gmin: Gmax, the energy and the states are
/// predictions. The golden values are derived here from the material's numbers and the
/// Li the writes intercalate, not taken from a run.
@Suite("Bao 2019 on the MoS2 material's electron parameters")
struct Bao2019Tests {
    // The preset's inputs (configs/devices/li-mos2-peo-bao2019.json and its materials).
    static let path = "configs/devices/li-mos2-peo-bao2019.json"
    static let voltage = 3.0                                    // ±3 V writes
    static let channelWidth = 2e-6, channelLength = 2e-6, thickness = 10e-9
    static let gminReported = 0.1e-9, gmaxReported = 11e-9
    static let sternCapacitance = 0.2                           // MoS2 kinetics: 20 µF/cm², F/m²
    static let temperature = 298.15

    /// The material's electrons: literature values within their documented ranges
    /// (configs/materials/MoS2.json, provenance).
    @Test("MoS2's electrons: N_c from m* = 0.45–0.7 m0 per layer, N_d 1e23–1e25 m⁻³ (unintentional n-doping), μ_n 1–300 cm²/V s (multilayer on SiO2), ΔE_c the flat band at 25 °C; non-degenerate")
    func material() throws {
        let m = try PresetCheck.material("MoS2")
        let sc = try #require(m.semiconductor)
        // N_c per layer = 4·m*·k_BT/(2πħ²) over the 0.615 nm layer pitch: 1.57e26 (0.45 m0)
        // … 2.44e26 (0.7 m0); up to ~3× more for the multilayer's six Q valleys.
        #expect(sc.effectiveDensity >= 1.5e26 && sc.effectiveDensity <= 5e26, "N_c \(sc.effectiveDensity)")
        #expect(sc.doping >= 1e23 && sc.doping <= 1e25, "N_d \(sc.doping)")
        guard case .constant(let mu) = sc.mobility else {
            Issue.record("MoS2's μ_n should be one literature value")
            return
        }
        #expect(mu >= 1e-4 && mu <= 3e-2, "μ_n \(mu) m²/(V s)")
        // Flat band: N_c·F(−ΔE_c/kT) = N_d. Non-degenerate (N_d/N_c < 0.01), so the Boltzmann
        // form kT·ln(N_c/N_d) holds within 1 mV.
        #expect(sc.doping / sc.effectiveDensity < 0.01)
        let vt = PhysicalConstants.boltzmann * Self.temperature / PhysicalConstants.elementaryCharge
        let flat = vt * log(sc.effectiveDensity / sc.doping)
        #expect(abs(sc.bandOffset - flat) < 1e-3, "ΔE_c \(sc.bandOffset) V vs flat band \(flat) V")
    }

    @Test("predictions: the channel reads the material with one flagged scale; Gmax/Gmin is 1 + (electrons the Li donors add)/(N_d·t), between the double-layer estimate and the Li count; Gmax misses Table 1 by ~−93 %; the gate energy is V·q")
    func predictions() throws {
        let device = try PresetTable.device(at: repositoryRoot() + "/" + Self.path)
        let config = device.config
        let layer = try #require(config.layers.first { $0.name == "channel" })
        // No per-device electron parameter: only the one stated factor.
        #expect(layer.mobility == nil && layer.overrides.isEmpty, "the channel must read the material's electrons")
        let scale = try #require(layer.conductivityScale)
        if scale >= 10 || scale <= 0.1 {
            let flags = try #require(config.provenance["flags"])
            #expect(flags.contains("conductivity_scale") && flags.contains("outside"))
        }
        let sc = try PresetCheck.semiconductor("MoS2")

        let simulation = try Simulation(device: device)
        let outcomes = try simulation.run()
        let m = SynapticMetrics.compute(type: simulation.schedule.type, outcomes: outcomes, area: device.area, ionCharge: 1)
        let gmin = m.gMin, gmax = m.gMax
        // Fitted (regression bound only): the scale is chosen so that Gmin is Table 1's.
        #expect(abs(gmin / Self.gminReported - 1) < 0.2)

        // G = (W/L)·e·μ_n·S with S = ∫n dy the electron sheet density (μ_n is uniform), so
        // Gmax/Gmin = S_max/S_min whatever the statistics. At rest the channel starts at flat
        // band, S_min = N_d·t (the depression writes take the Li back out, and no read falls
        // below the start). Each intercalated Li is a donor; ΔN_Li = the Li the potentiation
        // writes put into the channel, per area. Of its charge a part f reaches the conduction
        // band: S_max = N_d·t + f·ΔN_Li.
        // Upper bound f ≤ 1: the source fixes the Fermi level, so the electrons the donors
        // bring lower the band and raise the channel's potential; the PEO double layer then
        // screens part of the donor charge (the channel is left positive, never negative).
        // Lower bound (estimate): the screened part (1 − f)·e·ΔN_Li sits across the
        // MoS2 | PEO double layer at no more than the Stern capacitance (20 µF/cm², in series
        // with the diffuse layer) times the band shift k_BT/e·ln(S_max/S_min) ≤ k_BT/e·ln(r_up).
        let li = outcomes[0].pulses.filter { $0.kind == .potentiation }.map(\.channelIons).reduce(0, +)
        let donors = li * PhysicalConstants.avogadro / (Self.channelWidth * Self.channelLength)   // m⁻²
        let background = sc.doping * Self.thickness                                              // N_d·t, m⁻²
        #expect(donors > 0 && donors < 100 * background, "ΔN_Li = \(donors) m⁻² against N_d·t = \(background) m⁻²")
        let upper = 1 + donors / background
        let vt = PhysicalConstants.boltzmann * Self.temperature / PhysicalConstants.elementaryCharge
        let screened = min(1, Self.sternCapacitance * vt * log(upper) / (PhysicalConstants.elementaryCharge * donors))
        let lower = 1 + (1 - screened) * donors / background
        let ratio = gmax / gmin
        #expect(ratio > 0.98 * lower && ratio <= 1.02 * upper, "Gmax/Gmin = \(ratio), donors and double layer bound it to [\(lower), \(upper)]")
        // The writes stay in the dilute 2H regime the donor model describes: mean x ≪ 0.1
        // (θ = x in LixMoS2; c_max = 3.16e4 mol/m³ of MoS2 formula units).
        let x = li / (3.16e4 * Self.channelWidth * Self.channelLength * Self.thickness)
        #expect(x < 0.01, "mean x = \(x)")

        // Against Table 1 (11 nS, ×110): with Gmin within its 20 % fit bound the same bounds
        // confine the error to [0.8·lower·Gmin/Gmax − 1, 1.2·upper·Gmin/Gmax − 1] ≈ [−98 %, −89 %]:
        // 1e12 cm⁻² of background electrons leave the Li's ~1e13 cm⁻² only a ×3–10 rise, not ×110
        // (the run gives −93 %, docs/devices.md, ref. 87).
        let error = (gmax - Self.gmaxReported) / Self.gmaxReported
        let ratioReported = Self.gminReported / Self.gmaxReported
        #expect(error > 0.8 * lower * ratioReported - 1 && error < 1.2 * upper * ratioReported - 1, "Gmax \(gmax) S, error \(error)")
        #expect(error < -0.5, "Gmax \(gmax) S is a prediction well below Table 1's")

        // Gate energy per pulse of a voltage-driven write: ∫|V·I| dt = V·|q|.
        #expect(abs(m.energyPerPulse / (Self.voltage * m.chargePerPulse) - 1) < 0.01,
                "gate energy \(m.energyPerPulse) J vs V·q = \(Self.voltage * m.chargePerPulse) J")
        // States: at most one distinguishable level per write (101 with the start), at least two.
        #expect(m.states >= 2 && m.states <= 101)
    }
}
